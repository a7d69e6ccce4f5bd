// The command line (commander): options -> {inputs, settings}. The render flags, their
// ranges, choices and help come from the engine's option schema (web/lib/option-schema.js);
// what a range cannot say (blades 1 and 2 are no polygon) the workers ask the engine's own
// check before the batch starts, so a bad value is a usage error, not N failures.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseAperture, strengthForAperture } from '../web/lib/aperture.js';
import { optionSchema, rangeText } from '../web/lib/option-schema.js';

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

// A flag's value by the option's declared type and range.
const parserOf = (spec) => (value) => {
  const n = number(value);
  const inRange = (spec.min === undefined || n >= spec.min) &&
    (spec.max === undefined || (spec.maxExclusive ? n < spec.max : n <= spec.max));
  if ((spec.type === 'integer' && !Number.isInteger(n)) || !inRange) {
    throw new InvalidArgumentError(`must be ${spec.type === 'integer' ? 'an integer' : 'a number'} in ${rangeText(spec)}.`);
  }
  return n;
};

const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const optionPath = (spec) => (spec.group === 'depth' ? `depth.${spec.name}` : spec.name);
const schemaOption = (path) => optionSchema.find((spec) => optionPath(spec) === path);

/** The schema's options that are CLI flags, by the option's path; the flag is its kebab-case name. */
const flagOptions = ['blades', 'rotation', 'curvature', 'highlightThreshold', 'highlightBoost', 'angle', 'centerX', 'centerY',
  'depth.focusX', 'depth.focusY'];

/** [flag, spec] of the numeric flags, e.g. ['--center-x <n>', centerX's spec]. */
export const schemaFlags = flagOptions.map((path) => {
  const spec = schemaOption(path);
  if (!spec) throw new Error(`the engine has no option '${path}'`);
  return [`--${kebab(spec.name)} <n>`, spec];
});

// "lens: aperture: 0 = round, 3..16 straight blades; range 0..16"
const helpOf = (spec) => `${spec.style ? `${spec.style}: ` : spec.group === 'depth' ? 'depth: ' : ''}${spec.help}` +
  (rangeText(spec) ? `; range ${rangeText(spec)}` : '');

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

function buildProgram() {
  const [strength, style, depthMode] = ['strength', 'style', 'depth.mode'].map(schemaOption);
  const program = new Command('defocus')
    .version(version)
    .description('Portrait mode for photo files: keeps the subject sharp and blurs the background.\n' +
      'Inputs are files, folders (searched recursively for images) and glob patterns.')
    .argument('<inputs...>', 'photos, folders or globs (quote globs to keep the shell from expanding them)')
    .option('-o, --out <file>', 'output file (only with a single input)')
    .option('-d, --out-dir <dir>', 'folder for the outputs (default: next to each input as NAME.defocus.EXT)')
    .option('-s, --strength <n>', `${helpOf(strength)}; 15-35 looks natural`, parserOf(strength), strength.default)
    .option('-a, --aperture <f>', 'the blur of an 85 mm portrait lens at this f-number, e.g. f/2.8 (instead of --strength: ' +
      'strength = 140 / N)', aperture)
    .addOption(new Option('--style <style>', style.help).choices(style.choices).default(style.default));
  for (const [flags, spec] of schemaFlags) program.option(flags, helpOf(spec), parserOf(spec));
  program
    // 'map' needs a depth map, which the command line has no way to give.
    .addOption(new Option('--depth <mode>', depthMode.help).choices(depthMode.choices.filter((m) => m !== 'map')).default(depthMode.default))
    .option('--no-read-focus', `depth auto: do not ${schemaOption('depth.readFocus').help.replace(/^auto depth: /, '')}`)
    .option('--background <b>', 'behind the subject: blur (the portrait), transparent (png/webp with alpha), a colour ' +
      '#rrggbb, or an image file (blurred by depth like the photo\'s own background)', 'blur')
    .option('--no-blur-background', 'keep a replacement background image sharp')
    .option('--grain', schemaOption('grain').help)
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
  for (const [, { name, group }] of schemaFlags) {
    if (o[name] === undefined) continue;
    if (group === 'depth') render.depth[name] = o[name];
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
