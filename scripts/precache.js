// Writes web/precache.json: the files the service worker stores for offline use (the
// app shell, the engine, ONNX Runtime Web's files, the models), with their total size.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

const web = fileURLToPath(new URL('../web/', import.meta.url));
const skip = /(\.d\.ts|\.map)$|^(sw\.js|precache\.json|node\.js|node-host\.js|node-webp\.js)$/;  // node*.js: Node only

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (!skip.test(entry.name)) yield path;
  }
}

const files = [...walk(web)].map((path) => relative(web, path).split('\\').join('/')).sort();
const bytes = files.reduce((sum, file) => sum + statSync(join(web, file)).size, 0);
// './' is the page itself (index.html as the server answers for the folder).
writeFileSync(join(web, 'precache.json'), `${JSON.stringify({ bytes, files: ['./', ...files] }, null, 1)}\n`);
console.log(`precache.json: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
