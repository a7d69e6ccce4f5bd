// Pictures to look at: photo | matte | portrait side by side, for the finder's 'auto'
// matte (person + subject model, fused with the photo's colours, refined with the edge
// stage), one PNG per frame.
//
//   node bench/matte-look.js OUT_DIR NAME...   NAME: a frame of ../shared/testdata/people or
//     masks (lucia_00052) or a photo of ../shared/testdata/photos (two_dogs_window)
//   --no-photo: the fusion without the photo (the maps alone), to compare
//
// Uses (and fills) bench/matte-edges.js's cache of the models' maps.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { loadEngine } from '../web/lib/node.js';
import { parseManifest } from '../web/lib/models.js';
import { probabilities } from './matte-edges.js';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const root = fileURLToPath(new URL('..', import.meta.url));
const shared = join(root, '..', 'shared', 'testdata');
const HEIGHT = 360;

function findPhoto(name) {
  for (const folder of ['people', 'masks', 'photos']) {
    for (const ext of ['.jpg', '.png']) {
      const path = join(shared, folder, name + ext);
      if (existsSync(path)) return path;
    }
  }
  throw new Error(`no photo named ${name}`);
}

// Three RGBA images of one height side by side, 8 px apart.
function sideBySide(images) {
  const gap = 8, height = images[0].height;
  const width = images.reduce((w, im) => w + im.width, 0) + gap * (images.length - 1);
  const data = new Uint8Array(width * height * 4).fill(255);
  let x0 = 0;
  for (const im of images) {
    for (let y = 0; y < height; y++) data.set(im.data.subarray(y * im.width * 4, (y + 1) * im.width * 4), (y * width + x0) * 4);
    x0 += im.width + gap;
  }
  return { width, height, data };
}

async function main() {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const usePhoto = !process.argv.includes('--no-photo');
  const [out, ...names] = args;
  if (!out || names.length === 0) throw new Error('usage: node bench/matte-look.js OUT_DIR NAME...');
  mkdirSync(out, { recursive: true });
  const engine = await loadEngine();
  const manifest = parseManifest(readFileSync(join(root, 'models', 'models.json'), 'utf8'));
  const subject = manifest.get('subject'), portrait = manifest.get('portrait');
  const photos = names.map((name) => ({ name, photo: findPhoto(name) }));
  for (const p of photos) p.image = engine.decode(readFileSync(p.photo));
  const S = await probabilities(engine, subject, 'shipped', readFileSync(join(root, 'web', 'models', subject.file)), photos);
  const P = await probabilities(engine, portrait, 'portrait', readFileSync(join(root, 'web', 'models', portrait.file)), photos);
  for (const p of photos) {
    const found = engine.findSubject(P.get(p.name), S.get(p.name), p.image.width / p.image.height, {}, usePhoto ? p.image : null);
    const matte = engine.refineMatte(p.image, found.probability, { ...subject.refine, band: true });
    const plane = { width: p.image.width, height: p.image.height, data: matte.data ?? matte };
    const result = engine.render(p.image, plane, { strength: 40, style: 'lens' });
    const grey = { width: plane.width, height: plane.height, data: new Uint8Array(plane.data.length * 4) };
    for (let i = 0; i < plane.data.length; i++) {
      const v = Math.round(255 * plane.data[i]);
      grey.data.set([v, v, v, 255], 4 * i);
    }
    const w = Math.round(p.image.width * HEIGHT / p.image.height);
    const picture = sideBySide([p.image, grey, result].map((im) => engine.resize(im, w, HEIGHT)));
    const file = join(out, `${p.name}${usePhoto ? '' : '.no-photo'}.png`);
    writeFileSync(file, engine.encode(picture));
    console.log(`${file}: ${found.kind}, ${found.people} people, confidence ${found.confidence.toFixed(2)}`);
  }
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
