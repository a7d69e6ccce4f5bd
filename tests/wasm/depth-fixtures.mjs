// A tiny depth model the tests build (depth = brightness) and a photo for it: dark texture
// on the left (near), bright texture on the right (far).
import { DataType, encodeModel, makeModel, makeNode, makeValueInfo } from '../../models/tools/onnx-proto.js';

/** An ONNX model that calls brighter pixels farther: depth = mean of the channels. */
export function brightnessDepthModel(size) {
  const graph = {
    name: 'brightness-depth',
    node: [makeNode('ReduceMean', ['image'], ['depth'], 'mean', { axes: [1], keepdims: 1 })],
    input: [makeValueInfo('image', DataType.FLOAT, [1, 3, size, size])],
    output: [makeValueInfo('depth', DataType.FLOAT, [1, 1, size, size])],
    initializer: [],
  };
  return encodeModel(makeModel({ graph, opset: 17 }));
}

/** Its manifest entry, loaded from `url`; outputSize other than the model's tests the shape check. */
export function entryFor(url, outputSize) {
  return {
    id: 'brightness-depth', kind: 'depth', file: 'tiny-depth.onnx', url,
    input: { name: 'image', shape: [1, 3, 32, 32], layout: 'NCHW', normalization: { range: [0, 1] } },
    output: { name: 'depth', index: 0, shape: [1, 1, outputSize, outputSize], layout: 'NCHW', nearIsLarge: false },
  };
}

// Dark texture on the left, bright texture on the right: the tiny model calls the right far.
export function halves(width, height) {
  const data = new Uint8Array(width * height * 4);
  let state = 7;
  for (let i = 0; i < width * height; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const x = i % width;
    const base = x < width / 2 ? 40 : 200;
    const v = base + ((state >>> 16) % 40) - 20;
    data.set([v, v, v, 255], 4 * i);
  }
  return { width, height, data };
}

/** Mean horizontal gradient of the red channel between columns x0 and x1. */
export function detail(image, x0, x1) {
  let e = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = x0 + 1; x < x1; x++) e += Math.abs(image.data[(y * image.width + x) * 4] - image.data[(y * image.width + x - 1) * 4]);
  }
  return e / (image.height * (x1 - x0));
}
