#!/usr/bin/env node
// Print an ONNX model's inputs, outputs and nodes, one per line.
//   node models/tools/inspect-onnx.js MODEL.onnx
import { readModel, summarize } from './onnx-proto.js';

if (process.argv.length !== 3) {
  console.error('usage: node models/tools/inspect-onnx.js MODEL.onnx');
  process.exit(2);
}
try {
  console.log(summarize(readModel(process.argv[2])));
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
