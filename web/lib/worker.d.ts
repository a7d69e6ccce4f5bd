// 'defocus/worker' is the Web Worker script createDefocus() runs in a page; it exports
// nothing. Start it yourself only where a bundler cannot follow the module's own
// `new Worker(new URL('./worker.js', import.meta.url))`, and pass it as createDefocus's
// `worker` option; with Vite, for example:
//   import DefocusWorker from 'defocus/worker?worker';
//   createDefocus({ worker: new DefocusWorker() });
export {};
