// A fixed set of worker threads, each with its own engine; photos go to whichever is free.
// A worker that dies (e.g. the wasm heap cannot grow) fails only its current photo and is
// replaced.
import { Worker } from 'node:worker_threads';

const workerUrl = new URL('./worker.js', import.meta.url);

export class EngineStartError extends Error {
  constructor({ code, message }) {
    super(message);
    this.code = code;
  }
}

export class WorkerPool {
  #workerData;
  #idle = [];
  #waiting = [];  // jobs with no free worker yet
  #all = new Set();
  #closed = false;

  constructor(size, workerData) {
    this.size = size;
    this.#workerData = workerData;
  }

  /** Starts every worker; rejects with EngineStartError if the engine or model cannot load. */
  async start() {
    await Promise.all(Array.from({ length: this.size }, () => this.#spawn()));
  }

  #spawn() {
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: this.#workerData });
      const slot = { worker, job: null };
      this.#all.add(slot);
      let ready = false;
      worker.on('message', (message) => {
        if (message.fatal) {
          this.#all.delete(slot);
          worker.terminate();
          return reject(new EngineStartError(message.fatal));
        }
        if (message.ready) {
          ready = true;
          this.#release(slot);
          return resolve();
        }
        const job = slot.job;
        slot.job = null;
        if (message.retire) this.#replace(slot);
        else this.#release(slot);
        job.resolve(message);
      });
      const died = (reason) => {
        this.#all.delete(slot);
        if (!ready) return reject(new EngineStartError({ code: 'internal', message: `engine worker failed to start: ${reason}` }));
        slot.job?.resolve({ error: { code: 'internal', message: `engine worker stopped: ${reason}` } });
        slot.job = null;
        this.#respawn();
      };
      worker.on('error', (e) => { if (this.#all.has(slot)) died(String(e?.message ?? e).split('\n')[0]); });
      worker.on('exit', (code) => { if (this.#all.has(slot)) died(`exit code ${code}`); });
    });
  }

  #replace(slot) {
    this.#all.delete(slot);  // its exit is expected now, not a crash
    slot.worker.terminate();
    this.#respawn();
  }

  // A worker in place of one that stopped, unless the pool is closing.
  #respawn() {
    if (!this.#closed) this.#spawn().catch((e) => this.#failWaiting(e.message));
  }

  // No worker could be brought back: the photos still waiting fail instead of hanging.
  #failWaiting(reason) {
    if (this.#all.size > 0) return;
    for (const job of this.#waiting.splice(0)) job.resolve({ error: { code: 'internal', message: reason } });
  }

  #release(slot) {
    const next = this.#waiting.shift();
    if (next) this.#send(slot, next);
    else this.#idle.push(slot);
  }

  #send(slot, job) {
    slot.job = job;
    job.waited = performance.now() - job.queuedAt;
    slot.worker.postMessage(job.message, [job.message.bytes.buffer]);
  }

  /**
   * Runs one photo: message {bytes (moved to the worker), format, quality, mask}.
   * Resolves with the worker's reply: {data, width, height, timings, coverage, mask} or {error},
   * and `waited`: ms spent queued for a free engine.
   */
  run(message) {
    return new Promise((resolve) => {
      const job = { message, queuedAt: performance.now() };
      job.resolve = (reply) => resolve({ ...reply, waited: job.waited ?? 0 });
      const slot = this.#idle.shift();
      if (slot) this.#send(slot, job);
      else this.#waiting.push(job);
    });
  }

  async close() {
    this.#closed = true;
    const slots = [...this.#all];
    this.#all.clear();
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
