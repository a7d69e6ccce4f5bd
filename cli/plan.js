// Where each photo's outputs go, in which format, and whether it still has work to do.
import path from 'node:path';
import { exists, isDirectory } from './files.js';

const extensionOf = { jpeg: '.jpg', png: '.png', webp: '.webp' };
const formatOfExtension = { '.jpg': 'jpeg', '.jpeg': 'jpeg', '.png': 'png', '.webp': 'webp' };

export class UsageError extends Error {}

const withExtension = (file, ext) => file.slice(0, file.length - path.extname(file).length) + ext;

/** The output format: --format, else --out's extension, else jpeg for JPEG inputs and png for
 *  the rest (png for all with a transparent background: JPEG has no alpha). */
function formatFor(photo, { format, out, render }) {
  const transparent = render?.background === 'transparent';
  const chosen = format ?? (out ? formatOfExtension[path.extname(out).toLowerCase()] : undefined);
  if (!chosen && out) throw new UsageError(`cannot tell the format from '${out}': use --format jpeg|png|webp`);
  if (chosen === 'jpeg' && transparent) throw new UsageError('--background transparent needs png or webp: JPEG has no alpha');
  if (chosen) return chosen;
  return !transparent && formatOfExtension[path.extname(photo.path).toLowerCase()] === 'jpeg' ? 'jpeg' : 'png';
}

/**
 * photos (from expandInputs) + settings -> one plan per photo:
 * {input, format, output, mask, writeOutput, writeMask, problem}. `problem` is a reason the
 * photo cannot be done (its output clashes with another's or is the input itself).
 */
export async function planBatch(photos, settings) {
  const { out, outDir, maskOut, overwrite } = settings;
  const maskIsFile = maskOut !== undefined && photos.length === 1 && !/[/\\]$/.test(maskOut) &&
    !(await isDirectory(maskOut));
  const claimed = new Map();  // resolved output path -> input that writes it
  const plans = [];
  for (const photo of photos) {
    const format = formatFor(photo, settings);
    const ext = extensionOf[format];
    const output = out ?? (outDir
      ? path.join(outDir, withExtension(photo.relative, ext))
      : withExtension(photo.path, `.defocus${ext}`));
    let mask = null;
    if (maskOut !== undefined) mask = maskIsFile ? maskOut : path.join(maskOut, withExtension(photo.relative, '.mask.png'));
    const plan = { input: photo.path, format, output, mask, writeOutput: true, writeMask: mask !== null, problem: null };
    for (const target of [output, mask].filter(Boolean)) {
      const resolved = path.resolve(target);
      if (resolved === path.resolve(photo.path)) plan.problem = `output ${target} would replace the input`;
      else if (claimed.has(resolved)) plan.problem = `output ${target} is also the output of ${claimed.get(resolved)}`;
      else claimed.set(resolved, photo.path);
    }
    if (!overwrite) {
      plan.writeOutput = !(await exists(output));
      plan.writeMask = mask !== null && !(await exists(mask));
    }
    plans.push(plan);
  }
  return plans;
}
