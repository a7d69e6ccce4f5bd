// Made the page's sample photos in web/samples/ (committed) from the test photos in
// ../shared/testdata/photos (SOURCES.md there: these may be committed as small copies with
// their attribution): at most 1024 px on the long side, JPEG quality 85. Run again only to
// change the selection:  node scripts/make-samples.js
import { readFileSync, writeFileSync } from 'node:fs';
import { loadEngine } from '../web/lib/node.js';

const from = new URL('../../shared/testdata/photos/', import.meta.url);
const to = new URL('../web/samples/', import.meta.url);
const sources = {
  'dogs.jpg': 'two_dogs_window.jpg',
  'astronaut.jpg': 'astronaut_eileen_collins.png',
  'cup.jpg': 'coffee_cup.png',
  'cat.jpg': 'cat_chelsea.png',
};

const engine = await loadEngine();
for (const [file, source] of Object.entries(sources)) {
  const photo = engine.decode(readFileSync(new URL(source, from)));
  const scale = Math.min(1, 1024 / Math.max(photo.width, photo.height));
  const small = scale < 1 ? engine.resize(photo, Math.round(photo.width * scale), Math.round(photo.height * scale)) : photo;
  const jpeg = engine.encode(small, { format: 'jpeg', quality: 85 });
  writeFileSync(new URL(file, to), jpeg);
  console.log(`${file}: ${small.width} x ${small.height}, ${(jpeg.length / 1e3).toFixed(0)} kB (from ${source})`);
}
