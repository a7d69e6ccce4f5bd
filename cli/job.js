// One photo of the batch: read, portrait in a worker, write; always ends in a record.
import { readInput, writeAtomic } from './files.js';

const round = (ms) => Math.round(ms * 10) / 10;

/** A file's record for the report; `fields` override the failed-with-no-output defaults. */
export function record(plan, fields) {
  return {
    input: plan.input, output: plan.output, mask: plan.mask, status: 'failed', bytes: null, width: null, height: null,
    coverage: null, timings: null, error: null, ...fields,
  };
}

/**
 * plan (from planBatch) -> the file's record: status 'written' | 'skipped' | 'failed'.
 * order: {after, queued}: the photo joins the engines' queue only after the previous photo
 * has (`after` resolves), then calls queued(); files read ahead still run in input order.
 */
export async function runJob(plan, pool, { quality }, order) {
  try {
    return await run(plan, pool, quality, order);
  } finally {
    // A photo that failed or was skipped before joining the queue still passes its turn on,
    // but only once the photo before it has joined.
    order.after.then(order.queued);
  }
}

async function run(plan, pool, quality, { after, queued }) {
  if (plan.problem) return record(plan, { error: { code: 'invalid_argument', message: plan.problem } });
  if (!plan.writeOutput && !plan.writeMask) {
    return record(plan, { status: 'skipped', reason: 'outputs exist (--overwrite replaces them)' });
  }
  const start = performance.now();
  const timings = {};
  let bytes;
  try {
    bytes = await readInput(plan.input);
  } catch (e) {
    return record(plan, { error: { code: e.code ?? 'io', message: e.message } });
  }
  timings.read = performance.now() - start;
  await after;
  const pending = pool.run({ bytes, format: plan.format, quality, mask: plan.writeMask });
  queued();
  const result = await pending;
  if (result.error) return record(plan, { error: result.error });
  Object.assign(timings, result.timings);
  const t = performance.now();
  try {
    if (plan.writeOutput) await writeAtomic(plan.output, result.data);
    if (plan.writeMask) await writeAtomic(plan.mask, result.mask);
  } catch (e) {
    return record(plan, { error: { code: 'io', message: `cannot write: ${e.message}` } });
  }
  timings.write = performance.now() - t;
  timings.total = performance.now() - start - result.waited;  // excludes waiting for a free engine
  return record(plan, {
    status: 'written', bytes: result.data.byteLength, width: result.width, height: result.height,
    coverage: Math.round(result.coverage * 1e4) / 1e4,
    subject: result.subject ?? null,
    timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, round(v)])),
  });
}
