// Embind glue: typed arrays in, typed arrays out, engine Status -> {error, code}.
// No image logic lives here; every call forwards to one engine function.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "defocus/blur.h"
#include "defocus/brush.h"
#include "defocus/render.h"
#include "defocus/codec.h"
#include "defocus/matte.h"
#include "defocus/matte_stabilizer.h"
#include "defocus/matte_metrics.h"
#include "defocus/model_io.h"
#include "defocus/color.h"
#include "defocus/resample.h"

using emscripten::val;

namespace {

// Copies a JS typed array into a wasm-side buffer with one TypedArray.set (no per-element JS).
template <typename T>
bool copyIn(const val& array, defocus::Buffer<T>& out) {
  if (!out.resize(array["length"].as<size_t>())) return false;
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
  return true;
}

// A JS-owned copy of wasm-side memory, so results survive later heap growth.
template <typename T>
val copyOut(const T* data, size_t count) {
  return val(emscripten::typed_memory_view(count, data)).call<val>("slice");
}

val failure(const defocus::Status& status) {
  val out = val::object();
  out.set("error", status.reason());
  out.set("code", std::string(defocus::errorCodeName(status.code())));
  return out;
}

// RGBA pixels from JS straight into an engine image (one copy), checking the size.
defocus::Result<defocus::ImageRGBA8> imageFromJs(const val& rgba, int width, int height) {
  const size_t length = rgba["length"].as<size_t>();
  if (width <= 0 || height <= 0 || length != static_cast<size_t>(width) * height * 4) {
    return defocus::Status{defocus::ErrorCode::kInvalidArgument,
                           "pixel buffer holds " + std::to_string(length) + " bytes but " + std::to_string(width) +
                               "x" + std::to_string(height) + " RGBA needs " +
                               std::to_string(static_cast<size_t>(std::max(width, 0)) * std::max(height, 0) * 4)};
  }
  auto image = defocus::ImageRGBA8::create(width, height);
  if (image.ok()) {
    val(emscripten::typed_memory_view(length, image.value().pixels.data())).call<void>("set", rgba);
  }
  return image;
}

val outOfMemoryCopying() {
  return failure({defocus::ErrorCode::kOutOfMemory, "out of memory copying the input into the engine"});
}

// {width, height, data}: how images and planes go back to JavaScript.
val sizedValue(int width, int height, const val& data) {
  val out = val::object();
  out.set("width", width);
  out.set("height", height);
  out.set("data", data);
  return out;
}

val imageValue(const defocus::ImageRGBA8& image) {
  return sizedValue(image.width, image.height, copyOut(image.pixels.data(), image.pixels.size()));
}

// An optional argument that was given (neither null nor undefined).
bool present(const val& v) { return !v.isNull() && !v.isUndefined(); }

val decode(const val& bytes, double maxPixels, bool applyOrientation) {
  defocus::Bytes input;
  if (!copyIn(bytes, input)) return outOfMemoryCopying();
  defocus::DecodeOptions options;
  options.maxPixels = static_cast<uint64_t>(maxPixels);
  options.applyOrientation = applyOrientation;
  auto decoded = defocus::decodeImage(input.data(), input.size(), options);
  if (!decoded.ok()) return failure(decoded.status());
  val out = imageValue(decoded.value().image);
  out.set("format", decoded.value().format);
  out.set("orientation", decoded.value().orientation);
  return out;
}

val probe(const val& bytes) {
  defocus::Bytes input;
  if (!copyIn(bytes, input)) return outOfMemoryCopying();
  auto info = defocus::probeImage(input.data(), input.size());
  if (!info.ok()) return failure(info.status());
  val out = val::object();
  out.set("width", info.value().width);
  out.set("height", info.value().height);
  out.set("format", info.value().format);
  return out;
}

val encode(const val& rgba, int width, int height, const std::string& format, int quality) {
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  auto encoded = format == "png"    ? defocus::encodePng(image.value())
                 : format == "jpeg" ? defocus::encodeJpeg(image.value(), quality)
                                    : defocus::Result<defocus::Bytes>(defocus::Status{
                                          defocus::ErrorCode::kUnsupported,
                                          "the engine encodes png and jpeg, not '" + format + "'"});
  if (!encoded.ok()) return failure(encoded.status());
  val out = val::object();
  out.set("bytes", copyOut(encoded.value().data(), encoded.value().size()));
  return out;
}

val resize(const val& rgba, int width, int height, int newWidth, int newHeight) {
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  auto resized = defocus::resizeRgba8(image.value(), newWidth, newHeight);
  if (!resized.ok()) return failure(resized.status());
  return imageValue(resized.value());
}

// options: {style, strength, blades, rotation, curvature, highlightThreshold,
// highlightBoost, angle, centerX, centerY}, all present (the JS wrapper fills defaults).
// Blur options from {style, strength, blades, rotation, curvature, highlightThreshold,
// highlightBoost, angle, centerX, centerY}, all present (the JS wrapper fills defaults).
defocus::Status blurOptionsFromJs(const val& options, defocus::BlurOptions* o) {
  const std::string style = options["style"].as<std::string>();
  if (!defocus::parseBlurStyle(style, &o->style)) {
    return {defocus::ErrorCode::kInvalidArgument, "style must be gaussian, lens, motion or radial, got '" + style + "'"};
  }
  o->strength = options["strength"].as<float>();
  o->aperture.blades = options["blades"].as<int>();
  o->aperture.rotationDegrees = options["rotation"].as<float>();
  o->aperture.curvature = options["curvature"].as<float>();
  o->highlights.threshold = options["highlightThreshold"].as<float>();
  o->highlights.boost = options["highlightBoost"].as<float>();
  o->angleDegrees = options["angle"].as<float>();
  o->centreX = options["centerX"].as<float>();
  o->centreY = options["centerY"].as<float>();
  return defocus::Status::success();
}

// output: null, or a caller's Uint8Array / Uint8ClampedArray of width * height * 4 bytes
// that receives the pixels (e.g. an ImageData's), which spares JS a fresh 4-bytes-a-pixel
// allocation per call.
val blur(const val& rgba, int width, int height, const val& options, const val& output) {
  defocus::BlurOptions o;
  defocus::Status parsed = blurOptionsFromJs(options, &o);
  if (!parsed.ok()) return failure(parsed);
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  const bool into = present(output);
  if (into && output["length"].as<size_t>() != image.value().pixels.size()) {
    return failure({defocus::ErrorCode::kInvalidArgument,
                    "output holds " + std::to_string(output["length"].as<size_t>()) + " bytes but the image needs " +
                        std::to_string(image.value().pixels.size())});
  }
  auto blurred = defocus::blurImage(image.value(), o);
  if (!blurred.ok()) return failure(blurred.status());
  if (!into) return imageValue(blurred.value());
  const auto& pixels = blurred.value().pixels;
  output.call<void>("set", val(emscripten::typed_memory_view(pixels.size(), pixels.data())));
  return sizedValue(blurred.value().width, blurred.value().height, output);
}

// A one-plane float image to {width, height, data: Float32Array} and back.
val planeValue(const defocus::ImagePlanar& plane) {
  return sizedValue(plane.width, plane.height, copyOut(plane.samples.data(), plane.planeSize()));
}

defocus::Result<defocus::ImagePlanar> planeFromJs(const val& plane, const char* what) {
  const int width = plane["width"].as<int>(), height = plane["height"].as<int>();
  const size_t length = plane["data"]["length"].as<size_t>();
  if (width <= 0 || height <= 0 || length != static_cast<size_t>(width) * height) {
    return defocus::Status{defocus::ErrorCode::kInvalidArgument,
                           std::string(what) + " must hold width * height values"};
  }
  auto image = defocus::ImagePlanar::create(width, height, 1);
  if (image.ok()) val(emscripten::typed_memory_view(length, image.value().plane(0))).call<void>("set", plane["data"]);
  return image;
}

val placementValue(const defocus::InputPlacement& p) {
  val out = val::object();
  out.set("tensorWidth", p.tensorWidth);
  out.set("tensorHeight", p.tensorHeight);
  out.set("left", p.left);
  out.set("top", p.top);
  out.set("width", p.width);
  out.set("height", p.height);
  return out;
}

defocus::InputPlacement placementFromJs(const val& v) {
  defocus::InputPlacement p;
  p.tensorWidth = v["tensorWidth"].as<int>();
  p.tensorHeight = v["tensorHeight"].as<int>();
  p.left = v["left"].as<int>();
  p.top = v["top"].as<int>();
  p.width = v["width"].as<int>();
  p.height = v["height"].as<int>();
  return p;
}

// spec: {width, height, channelsFirst, mean: [3], std: [3], letterbox}
val prepareModelInput(const val& rgba, int width, int height, const val& spec) {
  defocus::ModelInputSpec s;
  s.width = spec["width"].as<int>();
  s.height = spec["height"].as<int>();
  s.channelsFirst = spec["channelsFirst"].as<bool>();
  s.letterbox = spec["letterbox"].as<bool>();
  for (int c = 0; c < 3; ++c) {
    s.mean[c] = spec["mean"][c].as<float>();
    s.std[c] = spec["std"][c].as<float>();
  }
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  auto prepared = defocus::prepareModelInput(image.value(), s);
  if (!prepared.ok()) return failure(prepared.status());
  val out = val::object();
  out.set("tensor", copyOut(prepared.value().tensor.data(), prepared.value().tensor.size()));
  out.set("placement", placementValue(prepared.value().placement));
  return out;
}

// spec: {width, height, channels, channelsFirst, channel, logits}
defocus::ModelOutputSpec outputSpecFromJs(const val& spec) {
  defocus::ModelOutputSpec s;
  s.width = spec["width"].as<int>();
  s.height = spec["height"].as<int>();
  s.channels = spec["channels"].as<int>();
  s.channelsFirst = spec["channelsFirst"].as<bool>();
  s.channel = spec["channel"].as<int>();
  s.logits = spec["logits"].as<bool>();
  return s;
}

// Reads a model output through `read` (probability or depth) into a plane value.
template <typename Read>
val planeFromOutput(const val& data, Read read) {
  defocus::Buffer<float> values;
  if (!copyIn(data, values)) return outOfMemoryCopying();
  auto plane = read(values);
  if (!plane.ok()) return failure(plane.status());
  return planeValue(plane.value());
}

val probabilityFromOutput(const val& data, const val& spec, const val& placement) {
  return planeFromOutput(data, [&](const defocus::Buffer<float>& v) {
    return defocus::probabilityFromOutput(v.data(), v.size(), outputSpecFromJs(spec), placementFromJs(placement));
  });
}

val depthFromOutput(const val& data, const val& spec, const val& placement, bool nearIsLarge) {
  return planeFromOutput(data, [&](const defocus::Buffer<float>& v) {
    return defocus::depthFromOutput(v.data(), v.size(), outputSpecFromJs(spec), placementFromJs(placement), nearIsLarge);
  });
}

// options: {workingSize, radius, epsilon, band}
val refineMatte(const val& rgba, int width, int height, const val& probability, const val& options) {
  defocus::MatteOptions o;
  o.workingSize = options["workingSize"].as<int>();
  o.radius = options["radius"].as<float>();
  o.epsilon = options["epsilon"].as<float>();
  o.band = options["band"].as<bool>();
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  auto p = planeFromJs(probability, "probability");
  if (!p.ok()) return failure(p.status());
  auto matte = defocus::refineMatte(image.value(), p.value(), o);
  if (!matte.ok()) return failure(matte.status());
  return planeValue(matte.value());
}

val upsampleMatte(const val& probability, int width, int height) {
  auto p = planeFromJs(probability, "probability");
  if (!p.ok()) return failure(p.status());
  auto matte = defocus::upsampleMatte(p.value(), width, height);
  if (!matte.ok()) return failure(matte.status());
  return planeValue(matte.value());
}

val scoreMatte(const val& matte, const val& truth, int tolerance) {
  auto a = planeFromJs(matte, "matte");
  if (!a.ok()) return failure(a.status());
  auto b = planeFromJs(truth, "truth");
  if (!b.ok()) return failure(b.status());
  auto scores = defocus::scoreMatte(a.value(), b.value(), tolerance);
  if (!scores.ok()) return failure(scores.status());
  val out = val::object();
  out.set("iou", scores.value().iou);
  out.set("boundaryF", scores.value().boundaryF);
  out.set("meanAbsError", scores.value().meanAbsError);
  return out;
}

// state: the stabilised plane so far, or null for the first frame; options: {minFollow, noise, span}.
val stabilizeMatte(const val& state, const val& current, const val& options) {
  defocus::StabilizeOptions o;
  o.minFollow = options["minFollow"].as<float>();
  o.noise = options["noise"].as<float>();
  o.span = options["span"].as<float>();
  auto now = planeFromJs(current, "probability");
  if (!now.ok()) return failure(now.status());
  defocus::ImagePlanar kept;
  if (present(state)) {
    auto previous = planeFromJs(state, "state");
    if (!previous.ok()) return failure(previous.status());
    kept = previous.take();
  }
  defocus::Status ok = defocus::stabilizeMatte(kept, now.value(), o);
  if (!ok.ok()) return failure(ok);
  return planeValue(kept);
}

// strokes: [{restore, radius, hardness, points: [{x, y}, ...]}, ...]
std::vector<defocus::BrushStroke> strokesFromJs(const val& strokes) {
  std::vector<defocus::BrushStroke> out;
  const size_t count = strokes["length"].as<size_t>();
  for (size_t k = 0; k < count; ++k) {
    const val s = strokes[k];
    defocus::BrushStroke stroke;
    stroke.restore = s["restore"].as<bool>();
    stroke.radius = s["radius"].as<float>();
    stroke.hardness = s["hardness"].as<float>();
    const size_t points = s["points"]["length"].as<size_t>();
    for (size_t i = 0; i < points; ++i) stroke.points.push_back({s["points"][i]["x"].as<float>(), s["points"][i]["y"].as<float>()});
    out.push_back(std::move(stroke));
  }
  return out;
}

val applyStrokes(const val& matte, const val& strokes) {
  auto m = planeFromJs(matte, "matte");
  if (!m.ok()) return failure(m.status());
  defocus::Status ok = defocus::applyStrokes(m.value(), strokesFromJs(strokes));
  if (!ok.ok()) return failure(ok);
  return planeValue(m.value());
}

// Render options: blur options plus {fillBackground, decontaminate, grain, grainSeed,
// depth: {mode, focusX, focusY, startX, startY, endX, endY, tiltShift}}.
defocus::Status renderOptionsFromJs(const val& options, defocus::RenderOptions* o) {
  defocus::Status parsed = blurOptionsFromJs(options, &o->blur);
  if (!parsed.ok()) return parsed;
  o->fillBackground = options["fillBackground"].as<bool>();
  o->decontaminate = options["decontaminate"].as<bool>();
  o->grain = options["grain"].as<bool>();
  o->grainSeed = options["grainSeed"].as<uint32_t>();
  const val depth = options["depth"];
  const std::string mode = depth["mode"].as<std::string>();
  static const std::pair<const char*, defocus::DepthMode> kModes[] = {
      {"auto", defocus::DepthMode::kAuto}, {"flat", defocus::DepthMode::kFlat}, {"linear", defocus::DepthMode::kLinear},
      {"radial", defocus::DepthMode::kRadial}, {"map", defocus::DepthMode::kMap}};
  bool known = false;
  for (const auto& [name, value] : kModes) {
    if (mode == name) o->depth.mode = value, known = true;
  }
  if (!known) return {defocus::ErrorCode::kInvalidArgument, "depth mode must be auto, flat, linear, radial or map"};
  o->depth.focusX = depth["focusX"].as<float>();
  o->depth.focusY = depth["focusY"].as<float>();
  o->depth.startX = depth["startX"].as<float>();
  o->depth.startY = depth["startY"].as<float>();
  o->depth.endX = depth["endX"].as<float>();
  o->depth.endY = depth["endY"].as<float>();
  o->depth.tiltShift = depth["tiltShift"].as<bool>();
  return defocus::Status::success();
}

// A photo and its (brushed) matte prepared once; render() per change of options.
class PortraitSession {
 public:
  PortraitSession(const val& rgba, int width, int height, const val& matte, const val& strokes) {
    status_ = prepare(rgba, width, height, matte, strokes);
  }

  val error() const { return status_.ok() ? val::null() : failure(status_); }

  val render(const val& options, const val& depthMap) {
    if (!status_.ok()) return failure(status_);
    defocus::RenderOptions o;
    defocus::Status parsed = renderOptionsFromJs(options, &o);
    if (!parsed.ok()) return failure(parsed);
    if (present(depthMap)) {
      auto map = planeFromJs(depthMap, "depth map");
      if (!map.ok()) return failure(map.status());
      // Same map object, same cached depth: keep the plane alive between renders.
      if (!depthMap_ || !depthMapSource_.strictlyEquals(depthMap)) depthMap_ = std::make_unique<defocus::ImagePlanar>(map.take());
      depthMapSource_ = depthMap;
    }
    auto rendered = renderer_->render(o, present(depthMap) ? depthMap_.get() : nullptr);
    if (!rendered.ok()) return failure(rendered.status());
    return imageValue(rendered.value());
  }

 private:
  defocus::Status prepare(const val& rgba, int width, int height, const val& matte, const val& strokes) {
    auto image = imageFromJs(rgba, width, height);
    if (!image.ok()) return image.status();
    auto m = planeFromJs(matte, "matte");
    if (!m.ok()) return m.status();
    defocus::Status brushed = defocus::applyStrokes(m.value(), strokesFromJs(strokes));
    if (!brushed.ok()) return brushed;
    auto renderer = defocus::PortraitRenderer::create(image.value(), m.value());
    if (!renderer.ok()) return renderer.status();
    renderer_ = renderer.take();
    return defocus::Status::success();
  }

  defocus::Status status_;
  std::optional<defocus::PortraitRenderer> renderer_;
  std::unique_ptr<defocus::ImagePlanar> depthMap_;
  val depthMapSource_ = val::null();
};

// One-off render: options as above plus strokes; depthMap: plane or null.
val render(const val& rgba, int width, int height, const val& matte, const val& options, const val& depthMap) {
  PortraitSession session(rgba, width, height, matte, options["strokes"]);
  return session.render(options, depthMap);
}

val srgbToLinear(const val& encoded) {
  defocus::Bytes in;
  defocus::Buffer<float> out;
  if (!copyIn(encoded, in) || !out.resize(in.size())) return outOfMemoryCopying();
  defocus::srgb8ToLinear(in.data(), out.data(), in.size());
  return copyOut(out.data(), out.size());
}

val linearToSrgb(const val& linear) {
  defocus::Buffer<float> in;
  defocus::Bytes out;
  if (!copyIn(linear, in) || !out.resize(in.size())) return outOfMemoryCopying();
  defocus::linearToSrgb8(in.data(), out.data(), in.size());
  return copyOut(out.data(), out.size());
}

// For leak tests: the size of linear memory and the bytes malloc has handed out.
val heapStats() {
  val out = val::object();
  out.set("heapSize", static_cast<double>(emscripten_get_heap_size()));
  out.set("allocated", static_cast<double>(mallinfo().uordblks));
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(defocus_engine) {
  emscripten::function("decode", &decode);
  emscripten::function("probe", &probe);
  emscripten::function("encode", &encode);
  emscripten::function("resize", &resize);
  emscripten::function("blur", &blur);
  emscripten::function("prepareModelInput", &prepareModelInput);
  emscripten::function("probabilityFromOutput", &probabilityFromOutput);
  emscripten::function("depthFromOutput", &depthFromOutput);
  emscripten::function("refineMatte", &refineMatte);
  emscripten::function("upsampleMatte", &upsampleMatte);
  emscripten::function("scoreMatte", &scoreMatte);
  emscripten::function("applyStrokes", &applyStrokes);
  emscripten::function("stabilizeMatte", &stabilizeMatte);
  emscripten::function("render", &render);
  emscripten::class_<PortraitSession>("PortraitSession")
      .constructor<const val&, int, int, const val&, const val&>()
      .function("error", &PortraitSession::error)
      .function("render", &PortraitSession::render);
  emscripten::function("srgbToLinear", &srgbToLinear);
  emscripten::function("linearToSrgb", &linearToSrgb);
  emscripten::function("heapStats", &heapStats);
}
