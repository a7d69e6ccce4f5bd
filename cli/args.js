// The command line (commander): options -> {inputs, settings}. Value ranges the engine
// checks itself (e.g. blades 3..16) are left to it: the workers try the options on a
// tiny image before the batch starts, so a bad value is a usage error, not N failures.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseAperture, strengthForAperture } from '../web/lib/aperture.js';
import { renderDefaults } from '../web/lib/defaults.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const number = (value) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number.');
  return n;
};

const integerIn = (min, max) => (value) => {
  const n = number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer in ${min}..${max}.`);
  return n;
};

const fractionOrMore = (min, max) => (value) => {
  const n = number(value);
  if (n < min || n > max) throw new InvalidArgumentError(`must be in ${min}..${max}.`);
  return n;
};

const aperture = (value) => {
  try {
    return parseAperture(value);
  } catch (err) {
    throw new InvalidArgumentError(`${err.message}.`);
  }
};

// --background: a keyword, a colour, or an image file read here (its bytes go to every engine).
function backgroundOf(value, program) {
  if (value === 'transparent' || /^#[0-9a-f]{6}$/i.test(value)) return value;
  if (/^#/.test(value)) program.error(`error: --background colour '${value}' is not #rrggbb`, { exitCode: 2 });
  try {
    return new Uint8Array(readFileSync(value));
  } catch (err) {
    program.error(`error: --background '${value}' is not blur, transparent, #rrggbb or a readable image (${err.code ?? err.message})`,
      { exitCode: 2 });
  }
}

// CLI flag -> render option name, for the numeric style parameters.
const styleParams = [
  ['--blades <n>', 'blades', 'lens: 0 = round aperture, 3..16 = blade count', integerIn(0, 16)],
  ['--rotation <deg>', 'rotation', 'lens: aperture rotation in degrees', number],
  ['--curvature <c>', 'curvature', 'lens: blade curvature 0..1', fractionOrMore(0, 1)],
  ['--highlight-threshold <t>', 'highlightThreshold', 'lens: brightness 0..1 above which highlights bloom', fractionOrMore(0, 1)],
  ['--highlight-boost <b>', 'highlightBoost', 'lens: highlight gain 0..100', fractionOrMore(0, 100)],
  ['--angle <deg>', 'angle', 'motion: streak direction in degrees', number],
  ['--center-x <x>', 'centerX', 'radial: zoom centre, fraction of the width', fractionOrMore(0, 1)],
  ['--center-y <y>', 'centerY', 'radial: zoom centre, fraction of the height', fractionOrMore(0, 1)],
  ['--focus-x <x>', 'focusX', 'depth: focus point, fraction of the width (default: the subject)', fractionOrMore(0, 1)],
  ['--focus-y <y>', 'focusY', 'depth: focus point, fraction of the height', fractionOrMore(0, 1)],
];

function buildProgram() {
  const program = new Command('defocus')
    .version(version)
    .description('Portrait mode for photo files: keeps the subject sharp and blurs the background.\n' +
      'Inputs are files, folders (searched recursively for images) and glob patterns.')
    .argument('<inputs...>', 'photos, folders or globs (quote globs to keep the shell from expanding them)')
    .option('-o, --out <file>', 'output file (only with a single input)')
    .option('-d, --out-dir <dir>', 'folder for the outputs (default: next to each input as NAME.defocus.EXT)')
    .option('-s, --strength <n>', 'blur strength 1..100, the same look at any resolution (15-35 looks natural; ' +
      '100 = an 85 mm f/1.4 portrait)', fractionOrMore(1, 100), renderDefaults.strength)
    .option('-a, --aperture <f>', 'the blur of an 85 mm portrait lens at this f-number, e.g. f/2.8 (instead of --strength: ' +
      'strength = 140 / N)', aperture)
    .addOption(new Option('--style <style>', 'blur style').choices(['lens', 'gaussian', 'motion', 'radial']).default(renderDefaults.style));
  for (const [flags, , description, parse] of styleParams) program.option(flags, description, parse);
  program
    .addOption(new Option('--depth <mode>', 'how blur grows with distance').choices(['auto', 'flat', 'linear', 'radial']).default(renderDefaults.depth.mode))
    .option('--no-read-focus', 'depth auto: ignore the photo\'s own focus (what is as sharp as the subject stays sharp)')
    .option('--background <b>', 'behind the subject: blur (the portrait), transparent (png/webp with alpha), a colour ' +
      '#rrggbb, or an image file (blurred by depth like the photo\'s own background)', 'blur')
    .option('--no-blur-background', 'keep a replacement background image sharp')
    .option('--grain', 'add grain matched to the photo\'s own noise')
    .addOption(new Option('-f, --format <format>', 'output format (default: from --out\'s extension, else jpeg for JPEG inputs, png for others)')
      .choices(['jpeg', 'png', 'webp']))
    .option('-q, --quality <q>', 'jpeg / webp quality 1..100', integerIn(1, 100), 90)
    .option('-m, --model <id>', 'segmentation model: auto (finds people and other subjects, both models), subject (people, pets, things; ~2 s) or portrait (people; fast)', 'auto')
    .option('--mask-out <path>', 'also write the matte as a grayscale PNG: a file for one input, else a folder')
    .option('--json', 'print one JSON record per file on stdout')
    .option('-j, --jobs <n>', 'photos processed in parallel, one engine (and its memory) each', integerIn(1, 64), 1)
    .option('--overwrite', 'replace existing outputs (default: skip inputs whose outputs exist)')
    .showHelpAfterError('(run defocus --help for usage)')
    .addHelpText('after', '\nExit status: 0 all written or skipped, 1 some files failed, 2 usage error or the engine could not start.\n\n' +
      'Examples:\n  defocus portrait.jpg -o soft.jpg --strength 60\n  defocus portrait.jpg -o f2.jpg --aperture f/2\n  defocus shoot/ --out-dir blurred --model portrait --jobs 2\n' +
      '  defocus "shoot/**/*.png" --style lens --blades 6 --format webp --json > report.ndjson');
  return program;
}

/** argv (without node and script) -> {inputs, settings}; throws commander's errors. */
export function parseArgs(argv) {
  const program = buildProgram();
  program.exitOverride();
  program.parse(argv, { from: 'user' });
  const o = program.opts();
  if (o.out && o.outDir) program.error('error: --out and --out-dir cannot be used together', { exitCode: 2 });
  if (o.aperture !== undefined && program.getOptionValueSource('strength') === 'cli') {
    program.error('error: --strength and --aperture cannot be used together', { exitCode: 2 });
  }
  const strength = o.aperture !== undefined ? strengthForAperture(o.aperture) : o.strength;
  const render = { style: o.style, strength, depth: { mode: o.depth } };
  for (const [, name] of styleParams) {
    if (o[name] === undefined) continue;
    if (name === 'focusX' || name === 'focusY') render.depth[name] = o[name];
    else render[name] = o[name];
  }
  if (o.grain) render.grain = true;
  if (!o.readFocus) render.depth.readFocus = false;
  if (o.background !== 'blur') render.background = backgroundOf(o.background, program);
  if (!o.blurBackground) render.blurBackground = false;
  return {
    inputs: program.args,
    settings: {
      out: o.out, outDir: o.outDir, maskOut: o.maskOut, format: o.format, quality: o.quality, model: o.model,
      json: Boolean(o.json), jobs: o.jobs, overwrite: Boolean(o.overwrite), render,
    },
  };
}
