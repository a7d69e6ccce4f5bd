// Seed corpora for the libFuzzer harnesses: small, valid examples of what each harness reads,
// so fuzzing starts from real structure. Built from Node's own zlib and the test photos'
// headers (no npm packages): node fuzz/make-seeds.js OUT_DIR  (writes OUT_DIR/<harness>/).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] || join(root, 'build/fuzz/seeds');
const testdata = process.env.DEFOCUS_TESTDATA || join(root, '../shared/testdata');

// A fixed-seed generator: the same seeds on every machine.
let state = 0x9e3779b9;
const random = () => ((state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
const randomBytes = (n) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const be32 = (v) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
function chunk(type, data) {
  const body = [...Buffer.from(type, 'latin1'), ...data];
  return [...be32(data.length), ...body, ...be32(crc32(body))];
}

// PNG of every colour type stb reads (8-bit; 16-bit grey), one interlaced, one with tRNS.
function png(width, height, colourType, bitDepth, { interlace = 0, trns = null, palette = null } = {}) {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType];
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  const raw = [];
  for (let y = 0; y < height; y++) {
    raw.push(y % 5);  // every filter type
    for (let i = 0; i < rowBytes; i++) raw.push(Math.floor(random() * 256) & (colourType === 3 ? 3 : 255));
  }
  const ihdr = [...be32(width), ...be32(height), bitDepth, colourType, 0, 0, interlace];
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...chunk('IHDR', ihdr),
    ...(palette ? chunk('PLTE', palette) : []),
    ...(trns ? chunk('tRNS', trns) : []),
    ...chunk('IDAT', [...deflateSync(Buffer.from(raw))]),
    ...chunk('IEND', []),
  ]);
}

// A real JPEG made small: every segment kept, each scan's entropy-coded data cut to its first
// bytes (progressive photos keep their tables between scans), then EOI.
function jpegSkeleton(bytes, keep = 48) {
  const outBytes = [0xff, 0xd8];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) break;
    const marker = bytes[at + 1];
    if (marker === 0xd9) break;
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const segment = [...bytes.subarray(at, at + 2 + length)];
    // Frame headers (SOF0..15 but DHT, JPG, DAC) shrunk to 40x24, so a decode stays quick.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) segment.splice(5, 4, 0, 24, 0, 40);
    outBytes.push(...segment);
    at += 2 + length;
    if (marker !== 0xda) continue;
    let end = at;
    while (end + 1 < bytes.length && !(bytes[end] === 0xff && bytes[end + 1] !== 0 && (bytes[end + 1] < 0xd0 || bytes[end + 1] > 0xd7))) end++;
    const data = [...bytes.subarray(at, Math.min(end, at + keep))];
    while (data.length && data[data.length - 1] === 0xff) data.pop();
    outBytes.push(...data);
    at = end;
  }
  outBytes.push(0xff, 0xd9);
  return Uint8Array.from(outBytes);
}

function bmp(width, height) {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + rowBytes * height;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(size, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(rowBytes * height, 34);
  return Uint8Array.from([...header, ...randomBytes(rowBytes * height)]);
}

function gif(width, height) {
  // LZW with minimum code size 2: a clear code (4) before every pixel keeps every code 3 bits
  // wide; end code 5. Packed least significant bit first.
  const codes = [];
  for (let i = 0; i < width * height; i++) codes.push(4, i % 2);
  codes.push(5);
  const packed = [];
  let bits = 0, count = 0;
  for (const code of codes) {
    bits |= code << count;
    count += 3;
    while (count >= 8) packed.push(bits & 255), bits >>= 8, count -= 8;
  }
  if (count) packed.push(bits & 255);
  const lzw = [2, packed.length, ...packed, 0];
  return Uint8Array.from([
    ...Buffer.from('GIF89a', 'latin1'), width, 0, height, 0, 0x80, 0, 0,
    0, 0, 0, 255, 255, 255,  // two-colour palette
    0x2c, 0, 0, 0, 0, width, 0, height, 0, 0, ...lzw, 0x3b,
  ]);
}

const pnm = (width, height) => Uint8Array.from([...Buffer.from(`P6\n${width} ${height}\n255\n`, 'latin1'), ...randomBytes(width * height * 3)]);
const hdr = (width, height) => Uint8Array.from([...Buffer.from(`#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y ${height} +X ${width}\n`, 'latin1'), ...randomBytes(width * height * 4)]);
function tga(width, height) {
  const header = [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, width, 0, height, 0, 24, 0];
  return Uint8Array.from([...header, ...randomBytes(width * height * 3)]);
}

function exifJpeg(orientation, bigEndian) {
  const tiff = bigEndian
    ? [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]
    : [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0];
  const payload = [...Buffer.from('Exif\0\0', 'latin1'), ...tiff];
  return [0xff, 0xe1, ((payload.length + 2) >> 8) & 255, (payload.length + 2) & 255, ...payload];
}

const images = {
  'png-grey': png(7, 5, 0, 8),
  'png-grey16': png(3, 4, 0, 16),
  'png-rgb': png(6, 6, 2, 8),
  'png-palette': png(5, 3, 3, 2, { palette: [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255], trns: [0, 128] }),
  'png-grey-alpha': png(4, 4, 4, 8),
  'png-rgba-interlaced': png(9, 7, 6, 8, { interlace: 1 }),
  'bmp': bmp(5, 4),
  'gif': gif(2, 2),
  'pnm': pnm(4, 3),
  'hdr': hdr(3, 2),
  'tga': tga(3, 3),
};
const photos = ['paintbrushes.jpg', 'fig_on_plate.jpg', 'two_dogs_window.jpg'];
for (const name of photos) {
  const path = join(testdata, 'photos', name);
  if (existsSync(path)) images[`jpeg-${name.replace('.jpg', '')}`] = jpegSkeleton(readFileSync(path));
}
const base = images['jpeg-fig_on_plate'];
if (base) {
  for (const [orientation, bigEndian] of [[6, true], [3, false], [8, false]]) {
    images[`jpeg-exif-${orientation}`] = Uint8Array.from([0xff, 0xd8, ...exifJpeg(orientation, bigEndian), ...base.subarray(2)]);
  }
}

function write(harness, name, bytes) {
  mkdirSync(join(out, harness), { recursive: true });
  writeFileSync(join(out, harness, name), bytes);
}
for (const [name, bytes] of Object.entries(images)) {
  write('decode', name, bytes);
  write('segments', name, bytes);
}
// model_io and render read typed values from the bytes (fuzz/fuzz_input.h): random inputs
// of several lengths reach every branch of their first choices.
for (let i = 0; i < 24; i++) {
  write('model_io', `random-${i}`, randomBytes(16 + Math.floor(random() * 600)));
  write('render', `random-${i}`, randomBytes(16 + Math.floor(random() * 2000)));
}
console.log(`fuzz seeds in ${out}: ${Object.keys(images).length} image files, 24 inputs each for model_io and render`);
