// Full-size photos of today's sensors through the public module in Node: a 48 MP photo
// renders at full size in the engine's memory (which WebAssembly caps at 4 GB), and looks
// like the same photo rendered at a tenth of the size (strength is resolution independent).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefocus } from '../../web/lib/node.js';
import { psnr, testdata } from './fixtures.mjs';

let defocus;
before(async () => {
  defocus = await createDefocus({ model: 'portrait' });
});
after(() => defocus?.dispose());

// Nearest-neighbour enlargement (whole-pixel blocks), so the photo's content is the same at
// every size and only its resolution changes.
function enlarge(image, factor) {
  const width = image.width * factor, height = image.height * factor;
  const data = new Uint8Array(width * height * 4);
  const src = new Uint32Array(image.data.buffer, image.data.byteOffset, image.width * image.height);
  const dst = new Uint32Array(data.buffer);
  for (let y = 0; y < height; y++) {
    const from = ((y / factor) | 0) * image.width, to = y * width;
    for (let x = 0; x < width; x++) dst[to + x] = src[from + ((x / factor) | 0)];
  }
  return { width, height, data };
}

// Mean of every block of factor x factor pixels (RGBA).
function shrink(image, factor) {
  const width = Math.floor(image.width / factor), height = Math.floor(image.height / factor);
  const data = new Uint8Array(width * height * 4);
  const n = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let j = 0; j < factor; j++) {
          const row = ((y * factor + j) * image.width + x * factor) * 4 + c;
          for (let i = 0; i < factor; i++) sum += image.data[row + 4 * i];
        }
        data[(y * width + x) * 4 + c] = Math.round(sum / n);
      }
    }
  }
  return { width, height, data };
}

test('a 48 MP photo renders at full size through blur(), in bounded engine memory, like its small version', async () => {
  // hike_00000 (854 x 480): a person walking, the portrait model's subject; 800 x 450 of it,
  // enlarged 12 times: 9600 x 5400 = 51.8 MP.
  const decoded = defocus.engine.decode(testdata('people/hike_00000.jpg'));
  const base = { width: 800, height: 450, data: new Uint8Array(800 * 450 * 4) };
  for (let y = 0; y < base.height; y++) {
    base.data.set(decoded.data.subarray(y * decoded.width * 4, (y * decoded.width + base.width) * 4), y * base.width * 4);
  }
  const options = { strength: 40, style: 'lens', format: 'jpeg', quality: 92 };
  const reference = defocus.engine.decode((await defocus.blur(base, options)).data);
  const heapBefore = defocus.engine.heapStats().heapSize;

  const photo = enlarge(base, 12);
  const pixels = photo.width * photo.height;
  const result = await defocus.blur(photo, options);
  const heapAfter = defocus.engine.heapStats().heapSize;  // WebAssembly memory never shrinks: the peak
  assert.deepEqual([result.width, result.height], [9600, 5400]);
  assert.equal(result.matte, undefined, 'the matte stays in the engine unless asked for');
  const grown = (heapAfter - heapBefore) / pixels;
  console.log(`51.8 MP blur: engine memory grew ${(grown).toFixed(1)} bytes a pixel ` +
    `(${(heapBefore / 2 ** 20).toFixed(0)} -> ${(heapAfter / 2 ** 20).toFixed(0)} MiB), timings ${JSON.stringify(result.timings)}`);
  // The photo (4 bytes a pixel), its matte (4), the fill (3), the output (4), the JPEG and
  // one strip of planes (a fixed ~200 MB): under 16 bytes a pixel plus 300 MB.
  assert.ok(heapAfter - heapBefore <= 16 * pixels + 300 * 2 ** 20, `${grown.toFixed(1)} bytes a pixel`);

  const big = shrink(defocus.engine.decode(result.data), 12);
  const sameLook = psnr(big.data, reference.data);
  const unblurred = psnr(big.data, base.data);
  console.log(`full size shrunk to 800 x 450: ${sameLook.toFixed(1)} dB against the small render, ${unblurred.toFixed(1)} dB against the photo`);
  assert.ok(sameLook >= 30, `${sameLook.toFixed(1)} dB`);
  assert.ok(sameLook >= unblurred + 3, 'the full-size render is blurred like the small one');
});

test('an allocation that fails in the middle of a full-size render is out_of_memory, and the next photo renders', async () => {
  const { engine } = defocus;
  const decoded = engine.decode(testdata('people/hike_00000.jpg'));
  const photo = enlarge({ width: decoded.width, height: decoded.height, data: decoded.data }, 4);  // 3416 x 1920 = 6.6 MP: strips
  const options = { strength: 60, style: 'motion', format: 'jpeg', quality: 90 };
  await defocus.blur(photo, options);  // opened, segmented and kept: the repeats below render and encode only
  const before = engine.testing.allocationCount();
  const clean = await defocus.blur(photo, options);
  const allocations = engine.testing.allocationCount() - before;
  try {
    engine.testing.failAllocationAfter(Math.floor(allocations / 2));
    await assert.rejects(defocus.blur(photo, options), (err) => err.code === 'out_of_memory');
    assert.equal(engine.testing.allocationFailurePending(), false, 'the failure happened');
  } finally {
    engine.testing.cancelAllocationFailure();
  }
  const again = await defocus.blur(photo, options);
  assert.ok(Buffer.from(again.data).equals(Buffer.from(clean.data)), 'the render after the failure is the clean one');
  const next = await defocus.blur(testdata('people/hike_00026.jpg'), { format: 'jpeg' });
  assert.ok(next.data.length > 1000 && next.width === 854, 'the next photo renders');
  console.log(`${allocations} allocations in a 6.6 MP render + encode; failed at ${Math.floor(allocations / 2)}: out_of_memory, then the same bytes`);
});
