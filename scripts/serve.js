// Development server for web/: static files with the headers threads need
// (cross-origin isolation) and the right MIME type for .wasm.
//   node scripts/serve.js            -> http://localhost:8080 (PORT and HOST override)
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const webRoot = fileURLToPath(new URL('../web/', import.meta.url));

/** Sets cross-origin isolation on every response: SharedArrayBuffer (threads) needs it. */
function isolate(res) {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** isolation: false serves like a plain static host (tests of the service worker's fallback). */
export function createServer(root = webRoot, { isolation = true } = {}) {
  // dev: re-read files on each request, so a rebuild shows without restarting.
  const assets = sirv(root, { dev: true, etag: true });
  return http.createServer((req, res) => {
    if (isolation) isolate(res);
    assets(req, res, () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('not found\n');
    });
  });
}

export function listen(server, { port = 8080, host = 'localhost' } = {}) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(`http://${host}:${server.address().port}/`));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? 'localhost';
  listen(createServer(), { port, host }).then(
    (url) => console.log(`defocus is being served at ${url}  (Ctrl+C to stop)`),
    (err) => {
      console.error(`defocus: cannot listen on ${host}:${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
