// Segmentation: model load and inference per model with 1 and 2 ONNX Runtime threads
// (separate processes: the thread count is read once), and matte refinement at 12 MP.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bestOf, printTable } from './table.js';

export function benchSegmentation({ engine, image, runs }) {
  const script = fileURLToPath(new URL('./segmentation-run.js', import.meta.url));
  const rows = [['model', 'input', 'size KB', 'threads', 'load ms', 'inference ms', 'pre+post ms']];
  for (const threads of [1, 2]) {
    const lines = execFileSync(process.execPath, [script, String(threads), String(runs)], { encoding: 'utf8' }).trim().split('\n');
    for (const r of lines.map((line) => JSON.parse(line))) {
      rows.push([r.model, r.input, (r.bytes / 1024).toFixed(0), String(r.threads), r.loadMs.toFixed(0),
        r.inferenceMs.toFixed(0), r.prepareMs.toFixed(1)]);
    }
  }
  console.log('Segmentation models (ONNX Runtime Web, wasm, Node; median of runs after warm-up)');
  printTable(rows);

  // Refinement of a 12 MP photo from a 320x320 probability map.
  const probability = { width: 320, height: 320, data: new Float32Array(320 * 320) };
  for (let y = 0; y < 320; y++) for (let x = 0; x < 320; x++) probability.data[y * 320 + x] = Math.hypot(x - 160, y - 180) < 100 ? 1 : 0;
  const refine = bestOf(runs, () => engine.refineMatte(image, probability, { radius: 1 }));
  const raw = bestOf(runs, () => engine.upsampleMatte(probability, image.width, image.height));
  console.log(`Matte at ${image.width}x${image.height}: guided refinement ${refine.toFixed(0)} ms, bilinear upsampling ${raw.toFixed(0)} ms\n`);
  benchSegmentationQuality();
}

// Quality per model choice on the hand-masked frames, and auto's cost at 12 MP.
function benchSegmentationQuality() {
  const script = fileURLToPath(new URL('./segmentation-quality.js', import.meta.url));
  const lines = execFileSync(process.execPath, [script], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n');
  const records = lines.map((line) => JSON.parse(line));
  const rows = [['model choice', 'frames', 'mean IoU', 'boundary F (2 px)', 'ms / photo', 'zoomed', 'model KB']];
  for (const r of records.filter((r) => r.frames)) {
    rows.push([r.choice, `${r.set} (${r.frames})`, r.iou.toFixed(3), r.bf.toFixed(3), r.ms.toFixed(0), String(r.zoomed),
      (r.bytes / 1024).toFixed(0)]);
  }
  console.log('Segmentation quality (refined matte vs hand-made masks; 1 thread; held-out frames were not used to choose thresholds)');
  printTable(rows);
  const big = records.filter((r) => !r.frames);
  const [subject, auto] = big;
  console.log(`${subject.set}: subject ${subject.ms.toFixed(0)} ms, auto ${auto.ms.toFixed(0)} ms ` +
    `(${(auto.ms / subject.ms).toFixed(2)}x; zoom ran: ${auto.zoomed})\n`);
}
