// The README's pictures (docs/pictures/), made from the project's own sample photos
// (web/samples/, credited in web/samples/SOURCES.md): each photo at Subtle / Medium / Maximum,
// and the focus reading on and off. With --look DIR it also writes, for people who work on
// the engine, cutouts over a checkerboard and replaced backgrounds of more photos into DIR.
//   node scripts/pictures.js                  -> docs/pictures/*.jpg
//   node scripts/pictures.js --look DIR [photo...]
// Needs ImageMagick's montage. One photo takes ~10-20 s with the subject model on 2 cores.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDefocus, strengthPresets } from '../web/lib/node.js';
import { samples } from '../web/samples/samples.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tile = 300;  // px, the longest side of each picture in a montage
const look = process.argv.indexOf('--look');
const lookDir = look >= 0 ? process.argv[look + 1] : null;
const lookPhotos = look >= 0 ? process.argv.slice(look + 2) : [];
const testdata = process.env.DEFOCUS_TESTDATA ?? path.join(root, '../shared/testdata');

const defocus = await createDefocus({ model: 'subject' });
const scratch = mkdtempSync(path.join(tmpdir(), 'defocus-pictures-'));
const { subtle, medium, maximum } = strengthPresets;
const base = { style: 'lens', highlightBoost: 8 };

// One row per list of [label, options]; null options = the photo itself.
async function montage(bytes, rows, out) {
  const photo = await defocus.open(bytes, { previewSize: 2 * tile });
  const files = [];
  for (const row of rows) {
    for (const [label, options] of row) {
      const file = path.join(scratch, `${files.length}.png`);
      // Previews: strength is resolution independent, so they look as the full size does.
      const image = options ? await photo.render({ ...base, ...options }) : photo.preview;
      const data = defocus.engine.encode(image, { format: 'png' });
      writeFileSync(file, data);
      files.push({ file, label });
    }
  }
  await photo.close();
  const perRow = Math.max(...rows.map((r) => r.length));
  // -background for transparent pictures: a checkerboard under each tile.
  execFileSync('montage', [
    ...files.flatMap(({ file, label }) => ['-label', label, file]),
    '-texture', 'pattern:checkerboard', '-tile', `${perRow}x`, '-geometry', `${tile}x${tile}+4+4`,
    '-pointsize', '15', '-quality', '82', out,
  ]);
  console.log(`${path.relative(process.cwd(), out)}: ${files.length} pictures`);
}

// The photo's own focus read (the default) and not, at Maximum where it shows most.
const focusRow = [['Photo', null], ['Maximum, geometry only', { strength: maximum, depth: { readFocus: false } }],
  ['Maximum, focus read', { strength: maximum }], ['Medium, focus read', { strength: medium }]];

const strengthRow = [['Photo', null], [`Subtle ${subtle} (~f/11)`, { strength: subtle }],
  [`Medium ${medium} (~f/5.6)`, { strength: medium }], [`Maximum ${maximum} (f/1.4)`, { strength: maximum }]];

try {
  if (!lookDir) {
    const out = path.join(root, 'docs/pictures');
    mkdirSync(out, { recursive: true });
    for (const { file } of samples) {
      const bytes = readFileSync(path.join(root, 'web/samples', file));
      await montage(bytes, [strengthRow, focusRow], path.join(out, file.replace(/\.\w+$/, '.jpg')));
    }
  } else {
    mkdirSync(lookDir, { recursive: true });
    const inputs = lookPhotos.length ? lookPhotos : samples.map(({ file }) => path.join(root, 'web/samples', file));
    for (const input of inputs) {
      const bytes = readFileSync(input);
      const name = path.basename(input).replace(/\.\w+$/, '');
      const trail = readFileSync(path.join(testdata, 'photos/mountain_trail.jpg'));
      await montage(bytes, [strengthRow, focusRow, [
        ['Transparent', { background: 'transparent' }],
        ['Colour #2b4a6f', { background: '#2b4a6f' }],
        ['Trail, blurred (Medium)', { background: trail, strength: medium, grain: true }],
        ['Trail, sharp', { background: trail, blurBackground: false }],
      ]], path.join(lookDir, `${name}.jpg`));
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
  await defocus.dispose();
}
