// Loads the engine's WebAssembly module in a browser, a worker or Node >= 20, and wraps
// its raw calls: inputs are normalised to bytes, {error, code} results become DefocusError.
// No Node-only module here: Node reads the binary itself (node.js) and passes its bytes.
import createDefocusModule from '../wasm/defocus_engine.js';
import { DefocusError, missingFile } from './errors.js';
import { checkBackground } from './background.js';
import { blurDefaults, defaultMaxPixels, renderDefaults } from './defaults.js';
import { optionsOf } from './option-schema.js';
import { folderUrl } from './folder-url.js';
import { createThreadedModule, threadedFiles, threadsAvailable } from './threaded-engine.js';

// Re-exported for the modules that use the engine anyway; the page's main thread imports
// them from their own small files, so it never loads the engine's glue code.
export { DefocusError, blurDefaults, defaultMaxPixels, renderDefaults };

/** Bytes of an ArrayBuffer or any typed array / DataView / Node Buffer, without copying. */
export function toBytes(input, name = 'input') {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new DefocusError('invalid_argument', `${name} must be an ArrayBuffer or a typed array`);
}

function checkInteger(value, name, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DefocusError('invalid_argument', `${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

// Defaults of the subject finder and the zoom pass: the engine's FusionOptions and
// ZoomOptions (subject_fusion.h, subject_zoom.h), where each is explained.
export const subjectFinderDefaults = Object.freeze({ minPersonArea: 0.002, personSureness: 0.7, personAgreement: 0.55,
  groupSize: 0.3, personWeight: 0.5, heldSize: 0.1, minConfidence: 0.35 });
export const zoomDefaults = Object.freeze({ margin: 0.3, minGain: 2, maxScale: 4 });

function unwrap(result) {
  if (result && typeof result.error === 'string') throw new DefocusError(result.code, result.error);
  return result;
}

function checkImage(image) {
  if (!image || typeof image !== 'object') throw new DefocusError('invalid_argument', 'image must be {data, width, height}');
  checkInteger(image.width, 'width', 1, 1 << 20);
  checkInteger(image.height, 'height', 1, 1 << 20);
  return toBytes(image.data, 'image.data');
}

// Fills defaults and checks every value's type against them; names the offending option.
function withDefaults(options, defaults, what) {
  const merged = { ...defaults, ...options };
  for (const [name, value] of Object.entries(merged)) {
    if (!(name in defaults)) throw new DefocusError('invalid_argument', `unknown ${what} option '${name}'`);
    const wanted = Array.isArray(defaults[name]) ? 'array' : typeof defaults[name];
    const actual = Array.isArray(value) ? 'array' : typeof value;
    if (actual !== wanted || value === null) {
      throw new DefocusError('invalid_argument', `${name} must be a${wanted === 'array' ? 'n' : ''} ${wanted}, got ${JSON.stringify(value)}`);
    }
  }
  return merged;
}

// Integers by the engine's schema (blades, grainSeed): a number is not enough. Ranges are
// the engine's to judge (the bindings answer with the option's name).
function checkIntegers(values, group, prefix = '') {
  for (const spec of optionsOf(group)) {
    if (spec.type === 'integer' && !Number.isInteger(values[spec.name])) {
      throw new DefocusError('invalid_argument', `${prefix}${spec.name} must be an integer, got ${values[spec.name]}`);
    }
  }
  return values;
}

function blurOptions(options) {
  return checkIntegers(withDefaults(options, blurDefaults, 'blur'), 'blur');
}

function checkStrokes(strokes) {
  strokes.forEach((s, i) => {
    const where = `stroke ${i + 1}`;
    if (!s || typeof s.restore !== 'boolean' || typeof s.radius !== 'number' || typeof s.hardness !== 'number' ||
        !Array.isArray(s.points) || !s.points.every((p) => typeof p?.x === 'number' && typeof p?.y === 'number')) {
      throw new DefocusError('invalid_argument', `${where} must be {restore, radius, hardness, points: [{x, y}]}`);
    }
  });
  return strokes;
}

function renderOptions(options = {}) {
  const { depth = {}, background = renderDefaults.background, ...rest } = options;
  const merged = withDefaults(rest, { ...renderDefaults, depth: undefined, background: undefined }, 'render');
  delete merged.depth;
  merged.background = checkBackground(background);
  Object.assign(merged, blurOptions(Object.fromEntries(Object.keys(blurDefaults).map((k) => [k, merged[k]]))));
  merged.depth = checkIntegers(withDefaults(depth, renderDefaults.depth, 'depth'), 'depth', 'depth.');
  checkIntegers(merged, 'render');
  checkStrokes(merged.strokes);
  return merged;
}

function checkPlane(plane, name) {
  if (!plane || !(plane.data instanceof Float32Array)) {
    throw new DefocusError('invalid_argument', `${name} must be {width, height, data: Float32Array}`);
  }
  checkInteger(plane.width, `${name}.width`, 1, 1 << 20);
  checkInteger(plane.height, `${name}.height`, 1, 1 << 20);
  return plane;
}

// A WebAssembly trap or abort (RuntimeError), or a wasm exception nothing below caught,
// leaves the instance unusable: it becomes DefocusError 'engine_crashed', which callers
// (the CLI's workers) answer by loading a fresh engine. Out of memory is no crash: the
// bindings return code 'out_of_memory' and the engine serves the next call.
function crashed(err) {
  const isTrap = err instanceof WebAssembly.RuntimeError || (WebAssembly.Exception && err instanceof WebAssembly.Exception);
  if (!isTrap) return err;
  const why = String(err.message || 'uncaught exception').split('\n')[0];
  return new DefocusError('engine_crashed', `the engine stopped (${why}); load a new one`);
}

// The raw module's calls (every function Embind registered, lower-case names; classes are
// reached through them), each converting a crash as above.
function guardCalls(raw) {
  const guarded = Object.create(raw);
  for (const name of Object.keys(raw)) {
    if (typeof raw[name] !== 'function' || !/^[a-z]/.test(name)) continue;
    guarded[name] = (...args) => {
      try {
        return raw[name](...args);
      } catch (err) {
        throw crashed(err);
      }
    };
  }
  return guarded;
}

function guardSession(session) {
  return {
    render(...args) {
      try {
        return session.render(...args);
      } catch (err) {
        throw crashed(err);
      }
    },
    delete: () => session.delete(),
  };
}

// The JS face of an engine photo (openPhoto, openPhotoWritten).
function photoHandle(photo) {
  const { width, height, format, orientation } = photo.info();
  // Each call answered like the module's own: a trap becomes engine_crashed.
  const call = (method, ...args) => {
    try {
      return unwrap(photo[method](...args));
    } catch (err) {
      throw crashed(err);
    }
  };
  return {
    width, height, format, orientation,
    /** The model's input tensor, as prepareModelInput. */
    modelInput: (spec) => call('modelInput', spec),
    /** The matte from the model's probability map (refined unless refine is false); {coverage}. */
    setMatte: (probability, { workingSize = 768, radius = 3, epsilon = 1e-3, band = false } = {}, refine = true) =>
      call('setMatte', checkPlane(probability, 'probability'), { workingSize, radius, epsilon, band: Boolean(band) }, Boolean(refine)),
    /** The pixels as a copy, for calls that take an image (a zoom pass's crop): made on request. */
    get data() {
      return call('pixels').data;
    },
    /** The full-size matte as a Plane (a copy). */
    matte: () => call('matte'),
    /** The photo's RGBA pixels (a copy), or resized to width x height. */
    pixels: () => call('pixels'),
    resize: (w, h) => call('resize', w, h),
    /** The portrait (options as render(), strokes included) as RGBA pixels. */
    render(options = {}, depthMap = null) {
      const checked = renderOptions(options);
      return call('render', checked, checked.strokes, depthMap ? checkPlane(depthMap, 'depth map') : null);
    },
    /** The portrait encoded in the engine ('png' | 'jpeg'): {bytes, render, encode} (ms). */
    renderEncoded(options = {}, { format = 'jpeg', quality = 90 } = {}, depthMap = null) {
      checkInteger(quality, 'quality', 1, 100);
      const checked = renderOptions(options);
      return call('renderEncoded', checked, checked.strokes, depthMap ? checkPlane(depthMap, 'depth map') : null,
        String(format), quality);
    },
    /**
     * The portrait held in the engine, to be read a band of rows at a time (what a
     * browser's encoder draws, with no full-size copy in JavaScript): {width, height,
     * rows(y0, y1, target) -> target, a typed array of exactly those rows' RGBA bytes;
     * release()}. Held until release() or the next render.
     */
    renderHeld(options = {}, depthMap = null) {
      const checked = renderOptions(options);
      const { width, height } = call('renderHeld', checked, checked.strokes, depthMap ? checkPlane(depthMap, 'depth map') : null);
      return {
        width, height,
        rows(y0, y1, target) {
          call('heldRows', y0, y1, target);
          return target;
        },
        release: () => call('releaseHeld'),
      };
    },
    /** Frees the prepared renderer (the fill's pyramid), keeping photo and matte. */
    releaseRenderer: () => call('releaseRenderer'),
    dispose: () => photo.delete(),
  };
}

function wrap(module, threads) {
  const raw = guardCalls(module);
  // A width x height photo opened from room the engine gave for it (receivePixels or
  // receivePlanes; `key` names it to openPhoto), once fill(room) has written it; the room
  // is freed either way.
  async function openFilled(width, height, receive, key, fill) {
    checkInteger(width, 'width', 1, 1 << 30);
    checkInteger(height, 'height', 1, 1 << 30);
    const room = unwrap(receive());
    try {
      await fill(room);
      return photoHandle(unwrap(raw.openPhoto({ [key]: room })));
    } finally {
      room.delete();
    }
  }
  const engine = {
    /** Threads a full-size render's strips use: 2 in the threaded build, else 1 (the same pixels). */
    threads,
    /** Decodes JPEG/PNG/BMP/GIF/...; EXIF orientation applied unless applyOrientation is false. */
    decode(bytes, { maxPixels = defaultMaxPixels, applyOrientation = true } = {}) {
      checkInteger(maxPixels, 'maxPixels', 1, Number.MAX_SAFE_INTEGER);
      return unwrap(raw.decode(toBytes(bytes), maxPixels, Boolean(applyOrientation)));
    },
    /** Width, height and format from the header only. */
    probe(bytes) {
      return unwrap(raw.probe(toBytes(bytes)));
    },
    /**
     * Every check decode() makes before decoding a pixel (header, maxPixels, a complete
     * file, PNG checksums), without decoding: {width, height (as stored, before
     * orientation), format, channels, orientation}. For handing the pixels to another
     * decoder (a browser's) with the engine's limits and its one-line reasons.
     */
    inspect(bytes, { maxPixels = defaultMaxPixels } = {}) {
      checkInteger(maxPixels, 'maxPixels', 1, Number.MAX_SAFE_INTEGER);
      return unwrap(raw.inspect(toBytes(bytes), maxPixels));
    },
    /** Encodes RGBA pixels as 'png' or 'jpeg' (quality 1..100). */
    encode(image, { format = 'png', quality = 90 } = {}) {
      const data = checkImage(image);
      checkInteger(quality, 'quality', 1, 100);
      return unwrap(raw.encode(data, image.width, image.height, String(format), quality)).bytes;
    },
    /** Resamples RGBA pixels in linear light: area average down, smooth cubic up. */
    resize(image, width, height) {
      const data = checkImage(image);
      checkInteger(width, 'width', 1, 1 << 20);
      checkInteger(height, 'height', 1, 1 << 20);
      return unwrap(raw.resize(data, image.width, image.height, width, height));
    },
    /**
     * Blurs RGBA pixels in linear light. options: style ('lens' | 'gaussian' | 'motion' |
     * 'radial'), strength 1..100 (radius = strength% of 4.21% of the diagonal, 140 / f-number), lens: blades
     * (0 = circle, 3..16), rotation (degrees), curvature (0..1), highlightThreshold (0..1),
     * highlightBoost (0..100); motion: angle (degrees); radial: centerX, centerY (0..1).
     * output (optional): a Uint8Array / Uint8ClampedArray of width * height * 4 bytes (e.g. an
     * ImageData's data, or the input's own) that receives the pixels and is returned as data.
     */
    blur(image, options = {}, output = null) {
      const data = checkImage(image);
      if (output !== null && !(output instanceof Uint8Array || output instanceof Uint8ClampedArray)) {
        throw new DefocusError('invalid_argument', 'output must be a Uint8Array or Uint8ClampedArray');
      }
      return unwrap(raw.blur(data, image.width, image.height, blurOptions(options), output));
    },
    /**
     * The engine's verdict on render options, without rendering: the options with defaults
     * filled in, or a DefocusError whose one-line reason names the option (what a render
     * of them would refuse).
     */
    checkOptions(options = {}) {
      const checked = renderOptions(options);
      unwrap(raw.checkOptions(checked));
      return checked;
    },
    /** The engine's render options: name, group, type, range, choices, default, help (option-schema.js). */
    optionSchema: () => unwrap(raw.optionSchema()),
    /** The photo as the model's input tensor; `spec` from modelInputSpec() in models.js. */
    prepareModelInput(image, spec) {
      if (typeof image?.modelInput === 'function') return image.modelInput(spec);  // an engine photo
      const data = checkImage(image);
      return unwrap(raw.prepareModelInput(data, image.width, image.height, spec));
    },
    /** The model's output tensor back to a probability map over the photo. */
    probabilityFromOutput(data, spec, placement) {
      if (!(data instanceof Float32Array)) throw new DefocusError('invalid_argument', 'model output must be a Float32Array');
      return unwrap(raw.probabilityFromOutput(data, spec, placement));
    },
    /** A depth model's output back to relative depth over the photo (0 near .. 1 far). */
    depthFromOutput(data, spec, placement, nearIsLarge = true) {
      if (!(data instanceof Float32Array)) throw new DefocusError('invalid_argument', 'model output must be a Float32Array');
      return unwrap(raw.depthFromOutput(data, spec, placement, Boolean(nearIsLarge)));
    },
    /**
     * Full-resolution alpha matte (Float32Array 0..1) following the photo's edges: guided
     * filter, then (band: true) the edge stage on the uncertain band around the outline.
     */
    refineMatte(image, probability, { workingSize = 768, radius = 3, epsilon = 1e-3, band = false } = {}) {
      const data = checkImage(image);
      return unwrap(raw.refineMatte(data, image.width, image.height, checkPlane(probability, 'probability'),
        { workingSize, radius, epsilon, band: Boolean(band) }));
    },
    /** Plain bilinear upsampling of a probability map (the unrefined baseline). */
    upsampleMatte(probability, width, height) {
      checkInteger(width, 'width', 1, 1 << 20);
      checkInteger(height, 'height', 1, 1 << 20);
      return unwrap(raw.upsampleMatte(checkPlane(probability, 'probability'), width, height));
    },
    /**
     * Video: the stabilised probability so far (`state`, null at the first frame) moved
     * towards this frame's: small changes averaged away, large ones (motion) followed at once.
     */
    stabilizeMatte(state, current, { minFollow = 0.2, noise = 0.04, span = 0.2 } = {}) {
      return unwrap(raw.stabilizeMatte(state ? checkPlane(state, 'state') : null, checkPlane(current, 'probability'),
        { minFollow, noise, span }));
    },
    /**
     * The automatic subject finder's rule (engine/include/defocus/subject_fusion.h): a person
     * model's map and an object model's map (either may be null) to one map of the subject,
     * with {kind: 'people' | 'object' | 'none', people, confidence 0..1, box (fractions)}.
     * aspect: the photo's width / height. photo (optional): the photo (RGBA pixels or an
     * engine photo), sent at the map's size: big object regions touching the people are then
     * decided by colour.
     */
    findSubject(person, object, aspect, options = {}, photo = null) {
      const o = withDefaults(options, subjectFinderDefaults, 'subject finder');
      const map = object ?? person;
      let small = null;
      if (photo && map) {
        small = typeof photo.resize === 'function' ? photo.resize(map.width, map.height) : engine.resize(photo, map.width, map.height);
      }
      return unwrap(raw.findSubject(person ? checkPlane(person, 'person map') : null,
        object ? checkPlane(object, 'object map') : null, aspect, o, small));
    },
    /** Whether a zoomed second pass pays for the subject `found` (findSubject's result), and its crop. */
    planZoom(found, width, height, modelWidth, modelHeight, options = {}) {
      return raw.planZoom(found, width, height, modelWidth, modelHeight, withDefaults(options, zoomDefaults, 'zoom'));
    },
    /** The part of an RGBA image inside a rectangle (pixels). */
    crop(image, { left, top, width, height }) {
      const data = checkImage(image);
      return unwrap(raw.cropImage(data, image.width, image.height, left, top, width, height));
    },
    /** The first pass's map with the zoomed pass's map (over plan's crop) blended in. */
    mergeZoom(full, crop, plan, width, height, options = {}) {
      return unwrap(raw.mergeZoom(checkPlane(full, 'first map'), checkPlane(crop, 'zoomed map'), plan, width, height,
        withDefaults(options, zoomDefaults, 'zoom')));
    },
    /** IoU, boundary F-measure (within `tolerance` px) and mean absolute error against a truth. */
    scoreMatte(matte, truth, tolerance = 2) {
      checkInteger(tolerance, 'tolerance', 0, 64);
      return unwrap(raw.scoreMatte(checkPlane(matte, 'matte'), checkPlane(truth, 'truth'), tolerance));
    },
    /**
     * The portrait: the photo with its background blurred behind the subject of `matte`
     * (a Plane of alpha). Options: the blur's (style, strength, ...), depth {mode: 'auto' |
     * 'flat' | 'linear' | 'radial' | 'map', focusX, focusY, startX, startY, endX, endY,
     * tiltShift}, grain, grainSeed, strokes (refine brush), fillBackground, decontaminate,
     * background ('blur' | 'transparent' | '#rrggbb' | RGBA pixels) and blurBackground (a
     * replacement blurred by the depth at the strength, default true).
     * depthMap: a Plane (0 = near .. 1 = far) for depth mode 'map'.
     */
    render(image, matte, options = {}, depthMap = null) {
      const data = checkImage(image);
      return unwrap(raw.render(data, image.width, image.height, checkPlane(matte, 'matte'), renderOptions(options),
        depthMap ? checkPlane(depthMap, 'depth map') : null));
    },
    /** The radius map a render of these options uses: a Plane of pixels, plus `subject`. */
    blurRadii(image, matte, options = {}, depthMap = null) {
      const data = checkImage(image);
      return unwrap(raw.blurRadii(data, image.width, image.height, checkPlane(matte, 'matte'), renderOptions(options),
        depthMap ? checkPlane(depthMap, 'depth map') : null));
    },
    /**
     * A photo and its matte (with refine-brush strokes) prepared once; render(options,
     * depthMap) then only blurs and composites, which is what a slider move costs.
     * dispose() frees it (it holds the photo in the engine's memory).
     */
    preparePortrait(image, matte, strokes = []) {
      const data = checkImage(image);
      const session = guardSession(unwrap(raw.preparePortrait(data, image.width, image.height, checkPlane(matte, 'matte'), checkStrokes(strokes))));
      return {
        render(options = {}, depthMap = null) {
          const { strokes: ignored, ...rest } = options;
          return unwrap(session.render(renderOptions(rest), depthMap ? checkPlane(depthMap, 'depth map') : null));
        },
        dispose() {
          session.delete();
        },
      };
    },
    /**
     * A photo kept in the engine: `source` is a file's bytes (decoded here, EXIF orientation
     * applied) or RGBA pixels. The model's input, the matte, renders and the encoder read it
     * in place; full-size pixels and the matte cross into JavaScript only when asked for.
     * dispose() frees it.
     */
    openPhoto(source, { maxPixels = defaultMaxPixels, applyOrientation = true } = {}) {
      checkInteger(maxPixels, 'maxPixels', 1, Number.MAX_SAFE_INTEGER);
      return photoHandle(unwrap(raw.openPhoto(source && typeof source === 'object' && 'data' in source
        ? { data: checkImage(source), width: source.width, height: source.height }
        : { bytes: toBytes(source), maxPixels, applyOrientation: Boolean(applyOrientation) })));
    },
    /**
     * openPhoto of a width x height photo whose RGBA bytes `write(view)` puts straight into
     * the engine (a decoded VideoFrame's copyTo): no copy of the photo in JavaScript. `view()`
     * gives the bytes' Uint8Array; call it right before writing (heap growth detaches views
     * in the one-thread build). Resolves to the photo once write's promise does.
     */
    openPhotoWritten(width, height, write) {
      return openFilled(width, height, () => raw.receivePixels(width, height), 'incoming', (room) => write(() => room.view()));
    },
    /**
     * openPhoto of a width x height JPEG's planes as decoded, before colour conversion
     * (`format`: a WebCodecs frame's I420, I422 or I444), which `write(view, layout)` puts
     * straight into the engine (frame.copyTo(view(), { layout })); the engine turns them to
     * RGBA as libjpeg does (defocus/ycbcr.h). `view()` as for openPhotoWritten.
     */
    async openPhotoFromPlanes(width, height, format, write) {
      const shifts = { I420: [1, 1], I422: [1, 0], I444: [0, 0] }[format];
      if (!shifts) throw new DefocusError('invalid_argument', `planes in ${format}: only I420, I422 and I444 are read`);
      return openFilled(width, height, () => raw.receivePlanes(width, height, ...shifts), 'planes',
        (room) => write(() => room.view(), room.layout()));
    },

    /** The matte with refine-brush strokes applied (restore / erase), as render() does. */
    applyStrokes(matte, strokes) {
      return unwrap(raw.applyStrokes(checkPlane(matte, 'matte'), checkStrokes(strokes)));
    },
    srgbToLinear: (encoded) => unwrap(raw.srgbToLinear(toBytes(encoded))),
    /**
     * A 512 x 384 photo through the full-size pipeline (model input, refined matte, strip
     * and whole renders, JPEG), nothing kept: WebAssembly code is optimised only after it
     * has run, so without this the first photo of a session runs in baseline code
     * (engine/src/render/warm_up.cpp has the numbers).
     */
    warmUp() {
      unwrap(raw.warmUp());
    },
    linearToSrgb(linear) {
      if (!(linear instanceof Float32Array)) throw new DefocusError('invalid_argument', 'linear must be a Float32Array');
      return unwrap(raw.linearToSrgb(linear));
    },
    /** Linear memory size and the bytes malloc has handed out (both exact up to 4 GB). */
    heapStats: () => module.heapStats(),
    /**
     * Writes `bytes` more of the heap's pages once (bindings/heap_warmer.h: a first photo's
     * fresh pages cost faults): on the threaded build's worker thread while this thread goes
     * on, in the one-thread build in stepHeapWarming's steps (pages not stepped stay
     * pending until the next warmHeap or render). Holds no memory afterwards; the next render
     * stops it. False where there is less than a page to warm, the memory cannot grow, or
     * a thread's warming is under way.
     */
    warmHeap(bytes) {
      checkInteger(bytes, 'bytes', 0, 2 ** 32 - 1);
      return module.warmHeap(bytes);
    },
    /** The one-thread build: writes up to `bytes` more of warmHeap's pages now; true while some are left. */
    stepHeapWarming(bytes) {
      checkInteger(bytes, 'bytes', 0, 2 ** 32 - 1);
      return module.stepHeapWarming(bytes);
    },
    /** Whether the last warmHeap has pages left to write, and the bytes of pages it has written. */
    heapWarming: () => module.heapWarming(),
    /**
     * For tests: failAllocationAfter(n) fails the engine's (n+1)-th allocation from now,
     * once, as a full heap would (the call then answers out_of_memory);
     * allocationCount() counts them, to aim inside an operation; allocationFailurePending()
     * says whether the armed failure has yet to happen. Not for production use.
     */
    testing: {
      failAllocationAfter(n) {
        checkInteger(n, 'n', 0, Number.MAX_SAFE_INTEGER);
        module.failAllocationAfter(n);
      },
      cancelAllocationFailure: () => module.cancelAllocationFailure(),
      allocationFailurePending: () => module.allocationFailurePending(),
      allocationCount: () => module.allocationCount(),
    },
  };
  return engine;
}

// The engine's binary. A static literal, so bundlers copy the file and rewrite the URL;
// without a bundler it resolves next to this folder (web/wasm/).
export const engineWasmUrl = new URL('../wasm/defocus_engine.wasm', import.meta.url);

async function instantiate(source, imports) {
  if (!(source instanceof URL)) return WebAssembly.instantiate(source, imports);
  let response;
  try {
    response = await fetch(source);
  } catch (err) {
    throw missingFile('the engine', source.href, err.message);
  }
  if (!response.ok) throw missingFile('the engine', source.href, `HTTP ${response.status}`);
  // Streaming compiles while the file downloads, but needs the wasm MIME type.
  if (response.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.instantiateStreaming(response, imports);
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

/**
 * @param {{ baseUrl?: string | URL, wasm?: BufferSource | URL, threads?: number, threadedFiles?: object }} [options]
 *   baseUrl: the folder holding defocus_engine.wasm (default: web/wasm/, or where a bundler
 *   put it); wasm: the binary's URL, or its bytes (Node reads the file and passes them);
 *   threads: how many threads a full-size render may use: above 1, where the thread is
 *   cross-origin isolated, the threaded build (threaded-engine.js) loads instead, from
 *   baseUrl or threadedFiles ({glue, wasm, worker} URLs); elsewhere one thread.
 */
export async function loadEngine({ baseUrl, wasm, threads = 1, threadedFiles: files } = {}) {
  const folder = baseUrl ? folderUrl(baseUrl) : null;
  const threaded = threads > 1 && threadsAvailable() ? (files ?? threadedFiles(folder)) : null;
  const source = threaded ? threaded.wasm : wasm ?? (folder ? new URL('defocus_engine.wasm', folder) : engineWasmUrl);
  // The module's own loader would wait forever on a missing file: fetch and instantiate
  // here, and fail with the URL. (The threaded build's pthread workers get the same
  // compiled module and memory from the glue.)
  let failed;
  const failure = new Promise((resolve, reject) => { failed = reject; });
  const instantiateWasm = (imports, receive) => {
    instantiate(source, imports).then(({ instance, module }) => receive(instance, module), failed);
    return {};
  };
  const raw = threaded ? createThreadedModule(threaded, instantiateWasm, failed) : createDefocusModule({ instantiateWasm });
  const module = await Promise.race([raw, failure]);
  return wrap(module, module.setRenderThreads(threaded ? threads : 1));
}
