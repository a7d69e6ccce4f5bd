#!/usr/bin/env node
// defocus: portrait mode for photo files from a terminal. Same engine, model and code path
// as the JS module (createDefocus().blur), one engine per --jobs worker thread.
import { CommanderError } from 'commander';
import { parseArgs } from './args.js';
import { removeTemporaryFiles } from './files.js';
import { expandInputs } from './inputs.js';
import { record, runJob } from './job.js';
import { planBatch, UsageError } from './plan.js';
import { EngineStartError, WorkerPool } from './pool.js';
import { Reporter } from './report.js';

const exitCodes = Object.freeze({ ok: 0, someFailed: 1, usage: 2, SIGINT: 130, SIGTERM: 143 });

async function main(argv) {
  const started = performance.now();
  let inputs, settings;
  try {
    ({ inputs, settings } = parseArgs(argv));
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? exitCodes.ok : exitCodes.usage;  // commander printed it
    throw e;
  }
  const reporter = new Reporter({ json: settings.json });
  const { photos, missing } = await expandInputs(inputs, { outDir: settings.outDir });
  let plans;
  try {
    if (settings.out && photos.length + missing.length > 1) throw new UsageError('--out names one file but there are several inputs: use --out-dir');
    plans = await planBatch(photos, settings);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    reporter.fatal(e.message);
    return exitCodes.usage;
  }

  reporter.start(plans.length + missing.length);
  for (const arg of missing) {
    reporter.result(record({ input: arg, output: null, mask: null }, { error: { code: 'not_found', message: 'no such file, or no file matches' } }));
  }
  const work = plans.filter((p) => !p.problem && (p.writeOutput || p.writeMask)).length;
  const pool = new WorkerPool(Math.max(1, Math.min(settings.jobs, work)), {
    model: settings.model, render: settings.render, baseUrl: process.env.DEFOCUS_BASE_URL,
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      reporter.finish();
      removeTemporaryFiles();  // a re-run redoes the unfinished photos
      process.stderr.write(`defocus: stopped by ${signal}\n`);
      process.exit(exitCodes[signal]);
    });
  }
  try {
    if (work > 0) await pool.start();
    // One more photo in flight than there are engines: its file is read while they work.
    let next = 0;
    let previousQueued = Promise.resolve();
    const lane = async () => {
      while (next < plans.length) {
        const plan = plans[next++];
        const after = previousQueued;
        let queued;
        previousQueued = new Promise((resolve) => { queued = resolve; });
        reporter.begin(plan.input);
        reporter.result(await runJob(plan, pool, settings, { after, queued }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(plans.length, settings.jobs + 1) }, lane));
  } catch (e) {
    if (!(e instanceof EngineStartError)) throw e;
    reporter.fatal(e.code === 'invalid_argument' ? e.message : `the engine could not start: ${e.message}`);
    return exitCodes.usage;
  } finally {
    await pool.close();
  }
  reporter.finish(performance.now() - started);
  return reporter.counts.failed > 0 ? exitCodes.someFailed : exitCodes.ok;
}

process.exitCode = await main(process.argv.slice(2));
