// Progress of the engine host's calls: each stage reports 0..1, and `overall` folds the
// stages of the current call into one 0..1 for a single progress bar. Weights are the
// stages' shares of a call's time for a 2 MP photo on 2 cores (Chromium, subject model:
// decode 60 ms, segment + refine 1.9 s, render 0.6 s, encode 0.1 s).
const weights = {
  load: { 'fetch model': 1 },
  blur: { decode: 0.03, segment: 0.72, render: 0.21, encode: 0.04 },
  open: { decode: 0.03, segment: 0.97 },
  export: { decode: 0.15, render: 0.7, encode: 0.15 },  // decode: a first export of a photo opened at preview size
};

/** report(stage, fraction) calls onProgress({stage, fraction, overall}); start(call) begins
 *  a call ('load', 'blur', 'open', 'export'), from which overall only grows. */
export function createProgress(onProgress) {
  let plan = weights.load;
  let overall = 0;
  return {
    start(call) {
      plan = weights[call];
      overall = 0;
    },
    report(stage, fraction) {
      if (!onProgress) return;
      let before = 0;
      for (const [name, weight] of Object.entries(plan)) {
        if (name === stage) break;
        before += weight;
      }
      overall = Math.max(overall, Math.min(1, before + (plan[stage] ?? 0) * fraction));
      onProgress({ stage, fraction, overall });
    },
  };
}
