#!/usr/bin/env node
// Build the shipped models from their upstream npm packages.
//
//   node models/build.js [--out-dir DIR] [--force] [--update-manifest]
//
// Outputs go to models/build/ (git-ignored). A model is rebuilt only when its
// inputs changed: the upstream file, the tool sources that produce it, and for
// the subject model the committed float-layer list. Every step is
// deterministic, so the built bytes are identical on every machine; their
// sha256 is committed in models/models.json and the build fails if a built
// file does not match it. After an intended change to a tool, run with
// --update-manifest to record the new hashes (and review the diff).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeModel, encodeModel } from './tools/onnx-proto.js';
import { convertTflite } from './tools/tflite-to-onnx.js';
import { quantizeU2netp, readQuantizationPlan } from './tools/quantize-u2netp.js';
import { MODELS_DIR, REPO_ROOT, SOURCES, upstreamFile } from './tools/upstream.js';
import { formatJson } from './tools/json-format.js';

export const MANIFEST_PATH = join(MODELS_DIR, 'models.json');
export const DEFAULT_OUT_DIR = join(MODELS_DIR, 'build');
const FLOAT_LAYERS_PATH = join(MODELS_DIR, 'u2netp-float-layers.json');

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const tool = (name) => join(MODELS_DIR, 'tools', name);
const COMMON_TOOLS = [...['onnx.proto', 'onnx-proto.js', 'upstream.js'].map(tool), join(MODELS_DIR, 'build.js')];
const PROTOBUFJS_VERSION = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'protobufjs', 'package.json'), 'utf8')).version;

const selfieRecipe = (id, source, title) => ({
  id,
  source,
  tools: [...COMMON_TOOLS, tool('tflite-reader.js'), tool('tflite-to-onnx.js')],
  build(upstreamBytes, upstreamPath) {
    return encodeModel(convertTflite(upstreamBytes, {
      fileName: upstreamPath,
      inputName: 'input',
      outputName: 'output',
      docString: `defocus "${id}" model: ${title} (Google, Apache-2.0), converted from TFLite to ONNX by models/tools/tflite-to-onnx.js.`,
      metadata: {
        'defocus.id': id,
        'defocus.license': 'Apache-2.0',
        'defocus.source': `${source.package}@${source.version}/${source.path}`,
        'defocus.converter': 'models/tools/tflite-to-onnx.js',
      },
    }));
  },
});

/** How each model id is produced. */
export const RECIPES = [
  selfieRecipe('portrait', SOURCES.selfie, 'MediaPipe Selfie Segmentation, general 256x256'),
  selfieRecipe('portrait-landscape', SOURCES.selfieLandscape, 'MediaPipe Selfie Segmentation, landscape 144x256'),
  {
    id: 'subject',
    source: SOURCES.u2netp,
    tools: [...COMMON_TOOLS, tool('quantize-u2netp.js'), FLOAT_LAYERS_PATH],
    build(upstreamBytes, upstreamPath) {
      const model = decodeModel(upstreamBytes, upstreamPath);
      const q = quantizeU2netp(model, readQuantizationPlan(FLOAT_LAYERS_PATH), {
        metadata: {
          'defocus.id': 'subject',
          'defocus.license': 'Apache-2.0',
          'defocus.source': `${SOURCES.u2netp.package}@${SOURCES.u2netp.version}/${SOURCES.u2netp.path}`,
          'defocus.converter': 'models/tools/quantize-u2netp.js',
        },
      });
      q.doc_string = 'defocus "subject" model: U2-Net-p (Xuebin Qin et al., Apache-2.0) with int8 weights, by models/tools/quantize-u2netp.js.';
      return encodeModel(q);
    },
  },
];

export function readManifest(path = MANIFEST_PATH) {
  const m = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(m.models)) throw new Error(`${path}: no "models" array`);
  return m;
}

/**
 * Build all models.
 * @param {{outDir?:string, force?:boolean, updateManifest?:boolean, manifestPath?:string, log?:(s:string)=>void}} opts
 * @returns {Promise<Array<{id:string, file:string, path:string, sha256:string, bytes:number, built:boolean, ms:number}>>}
 */
export async function buildModels(opts = {}) {
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  const manifestPath = opts.manifestPath ?? MANIFEST_PATH;
  const log = opts.log ?? (() => {});
  const manifest = readManifest(manifestPath);
  const ids = manifest.models.map((e) => e.id).sort().join(',');
  const recipeIds = RECIPES.map((r) => r.id).sort().join(',');
  if (ids !== recipeIds) throw new Error(`${manifestPath} lists models [${ids}] but models/build.js knows [${recipeIds}]`);
  mkdirSync(outDir, { recursive: true });

  const results = [];
  const mismatches = [];
  for (const recipe of RECIPES) {
    const entry = manifest.models.find((e) => e.id === recipe.id);
    const t0 = performance.now();
    const upstreamPath = upstreamFile(recipe.source);
    const upstreamBytes = readFileSync(upstreamPath);
    const upstreamSha = sha256(upstreamBytes);
    if (entry.upstream?.sha256 && entry.upstream.sha256 !== upstreamSha && !opts.updateManifest) {
      throw new Error(`${recipe.id}: upstream file ${relative(REPO_ROOT, upstreamPath)} has sha256 ${upstreamSha}, ${relative(REPO_ROOT, manifestPath)} expects ${entry.upstream.sha256}`);
    }
    // Everything the output depends on.
    const inputs = [
      { name: `${recipe.source.package}@${recipe.source.version}/${recipe.source.path}`, sha256: upstreamSha },
      { name: 'protobufjs', version: PROTOBUFJS_VERSION },
      ...recipe.tools.map((p) => ({ name: relative(REPO_ROOT, p), sha256: sha256(readFileSync(p)) })),
    ];
    const inputsKey = sha256(JSON.stringify(inputs));
    const outPath = join(outDir, entry.file);
    const stampPath = `${outPath}.stamp.json`;

    let bytes = null;
    let built = false;
    if (!opts.force && existsSync(outPath) && existsSync(stampPath)) {
      const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
      const existing = readFileSync(outPath);
      if (stamp.inputsKey === inputsKey && stamp.sha256 === sha256(existing)) bytes = existing;
    }
    if (!bytes) {
      bytes = recipe.build(new Uint8Array(upstreamBytes.buffer, upstreamBytes.byteOffset, upstreamBytes.byteLength), upstreamPath);
      const tmp = `${outPath}.tmp-${process.pid}`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, outPath);
      writeFileSync(stampPath, `${JSON.stringify({ inputsKey, inputs, sha256: sha256(bytes) }, null, 2)}\n`);
      built = true;
    }
    const digest = sha256(bytes);
    const ms = performance.now() - t0;
    log(`${recipe.id.padEnd(19)} ${built ? 'built  ' : 'up to date'} ${relative(REPO_ROOT, outPath) || outPath} ${bytes.length} bytes sha256 ${digest.slice(0, 16)}... (${ms.toFixed(0)} ms)`);
    results.push({ id: recipe.id, file: entry.file, path: outPath, sha256: digest, bytes: bytes.length, built, ms, upstreamSha });
    if (entry.sha256 !== digest || entry.bytes !== bytes.length) mismatches.push({ entry, digest, size: bytes.length, upstreamSha });
  }

  if (mismatches.length && opts.updateManifest) {
    for (const { entry, digest, size, upstreamSha } of mismatches) {
      log(`${entry.id}: manifest sha256 ${entry.sha256 ?? '(none)'} -> ${digest}`);
      entry.sha256 = digest;
      entry.bytes = size;
      entry.upstream = { ...entry.upstream, sha256: upstreamSha };
    }
    writeFileSync(manifestPath, formatJson(manifest));
    log(`updated ${relative(REPO_ROOT, manifestPath)}`);
  } else if (mismatches.length) {
    const lines = mismatches.map(({ entry, digest, size }) => `  ${entry.id}: built ${entry.file} has sha256 ${digest} (${size} bytes), ${relative(REPO_ROOT, manifestPath)} says ${entry.sha256} (${entry.bytes} bytes)`);
    const err = new Error(`built models do not match the committed manifest:\n${lines.join('\n')}\nThe build is deterministic, so either a tool or an upstream file changed. If the change is intended, run: node models/build.js --update-manifest`);
    err.mismatches = mismatches;
    throw err;
  }
  return results;
}

async function main(argv) {
  const opts = { log: (s) => console.log(s) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out-dir') opts.outDir = argv[++i];
    else if (a === '--force') opts.force = true;
    else if (a === '--update-manifest') opts.updateManifest = true;
    else { console.error(`unknown option ${a}\nusage: node models/build.js [--out-dir DIR] [--force] [--update-manifest]`); process.exit(2); }
  }
  const t0 = performance.now();
  await buildModels(opts);
  console.log(`models ok (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => { console.error(`models/build.js: ${e.message}`); process.exit(1); });
}
