// Embind glue: typed arrays in, typed arrays out, engine Status -> {error, code}.
// No image logic lives here; every call forwards to one engine function, through
// answer(), which turns a failed allocation anywhere below into code out_of_memory.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "defocus/allocation_failure.h"
#include "defocus/blur.h"
#include "defocus/brush.h"
#include "defocus/render.h"
#include "defocus/codec.h"
#include "defocus/cutout.h"
#include "defocus/matte.h"
#include "defocus/matte_stabilizer.h"
#include "defocus/matte_metrics.h"
#include "defocus/model_io.h"
#include "defocus/option_schema.h"
#include "defocus/photo.h"
#include "defocus/color.h"
#include "defocus/resample.h"
#include "defocus/subject_fusion.h"
#include "defocus/subject_zoom.h"
#include "defocus/warm_up.h"

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

// The one wrapper every exported call goes through. The wasm build has exceptions
// (-fwasm-exceptions), so an allocation that fails below (std::bad_alloc from operator new,
// or std::length_error: a container over wasm32's 2 GB size limit) unwinds to here, freeing
// what the call held, and becomes an answer; the instance serves the next call.
// `call` returns val ({error, code} or the result) or a Status.
template <typename Call>
auto answer(Call&& call) -> decltype(call()) {
  using Answer = decltype(call());
  static_assert(std::is_same_v<Answer, val> || std::is_same_v<Answer, defocus::Status>);
  constexpr const char* kHeapFull = "out of memory: the engine's WebAssembly heap is full (4 GB at most)";
  constexpr const char* kTooBig = "out of memory: a buffer would exceed what 32-bit WebAssembly can address";
  if constexpr (std::is_same_v<Answer, val>) {
    val result = val::undefined();
    const defocus::Status status = defocus::catchingAllocationFailure([&] {
      result = call();
      return defocus::Status::success();
    }, kHeapFull, kTooBig);
    return status.ok() ? result : failure(status);
  } else {
    return defocus::catchingAllocationFailure(call, kHeapFull, kTooBig);
  }
}

// A free function as Embind exports it: the same arguments, answered through answer().
template <auto Fn>
struct Exported;
template <typename... Args, val (*Fn)(Args...)>
struct Exported<Fn> {
  static val call(Args... args) {
    return answer([&] { return Fn(std::forward<Args>(args)...); });
  }
};
template <auto Fn>
constexpr auto exported = &Exported<Fn>::call;

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

// The checks decode() makes before decoding a pixel (inspectImage), for a caller that
// hands the pixels to another decoder: stored width and height, format, channels, EXIF
// orientation.
val inspect(const val& bytes, double maxPixels) {
  defocus::Bytes input;
  if (!copyIn(bytes, input)) return outOfMemoryCopying();
  defocus::DecodeOptions options;
  options.maxPixels = static_cast<uint64_t>(maxPixels);
  auto info = defocus::inspectImage(input.data(), input.size(), options);
  if (!info.ok()) return failure(info.status());
  val out = val::object();
  out.set("width", info.value().width);
  out.set("height", info.value().height);
  out.set("format", info.value().format);
  out.set("channels", info.value().channels);
  out.set("orientation", info.value().orientation);
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

// Options from JS by the engine's schema (defocus/option_schema.h): every option of the
// groups read is present (the JS wrapper fills defaults), depth options under `depth`.
// Then the engine's verdict on them, the same whether a render or checkOptions() asks.
defocus::Status optionsFromJs(const val& options, bool blurOnly, defocus::RenderOptions* o) {
  for (const defocus::OptionSpec& spec : defocus::renderOptionSchema()) {
    if (blurOnly && spec.group != defocus::OptionGroup::kBlur) continue;
    const val value = spec.group == defocus::OptionGroup::kDepth ? options["depth"][spec.name] : options[spec.name];
    if (spec.type == defocus::OptionType::kChoice) {
      defocus::Status chosen = defocus::setChoiceOption(spec, *o, value.as<std::string>());
      if (!chosen.ok()) return chosen;
    } else if (spec.type == defocus::OptionType::kBoolean) {
      spec.set(*o, value.as<bool>() ? 1.0 : 0.0);
    } else {
      const double number = value.as<double>();
      if (spec.type == defocus::OptionType::kInteger) {  // the struct's int would hide -1 or 2.5
        defocus::Status whole = defocus::checkOptionValue(spec, number);
        if (!whole.ok()) return whole;
      }
      spec.set(*o, number);
    }
  }
  return defocus::checkRenderOptions(*o);
}

defocus::Status blurOptionsFromJs(const val& options, defocus::BlurOptions* o) {
  defocus::RenderOptions render;
  render.blur = *o;
  defocus::Status parsed = optionsFromJs(options, true, &render);
  *o = render.blur;
  return parsed;
}

// Threads a full-size render's strips share: an engine setting (the loader picks it with
// the build), not a render option: the same pixels either way. Without -pthread, one.
#ifdef __EMSCRIPTEN_PTHREADS__
constexpr int kMaxRenderThreads = 2;  // the pool's one worker plus the caller (bindings/CMakeLists.txt)
#else
constexpr int kMaxRenderThreads = 1;
#endif
int renderThreads = 1;

int setRenderThreads(int threads) {
  renderThreads = std::clamp(threads, 1, kMaxRenderThreads);
  return renderThreads;
}

defocus::Status renderOptionsFromJs(const val& options, defocus::RenderOptions* o) {
  o->threads = renderThreads;
  return optionsFromJs(options, false, o);
}

// The schema as JS reads it: [{name, group, type, style?, min?, max?, maxExclusive?,
// choices?, default, help}]; unbounded ranges leave min / max out.
val optionSchema() {
  const defocus::RenderOptions defaults;
  val out = val::array();
  for (const defocus::OptionSpec& spec : defocus::renderOptionSchema()) {
    val row = val::object();
    row.set("name", std::string(spec.name));
    row.set("group", std::string(defocus::optionGroupName(spec.group)));
    row.set("type", std::string(defocus::optionTypeName(spec.type)));
    if (spec.style) row.set("style", std::string(spec.style));
    switch (spec.type) {
      case defocus::OptionType::kChoice: {
        val choices = val::array();
        for (const std::string& c : spec.choices) choices.call<void>("push", c);
        row.set("choices", choices);
        row.set("default", spec.getChoice(defaults));
        break;
      }
      case defocus::OptionType::kBoolean:
        row.set("default", spec.get(defaults) != 0);
        break;
      default:
        if (std::isfinite(spec.min)) row.set("min", spec.min);
        if (std::isfinite(spec.max)) row.set("max", spec.max);
        if (spec.maxExclusive) row.set("maxExclusive", true);
        row.set("default", spec.get(defaults));
    }
    row.set("help", std::string(spec.help));
    out.call<void>("push", row);
  }
  return out;
}

// The engine's verdict on render options (all present, as render takes them) without
// rendering: null, or {error, code} naming the option.
val checkOptions(const val& options) {
  defocus::RenderOptions o;
  defocus::Status verdict = renderOptionsFromJs(options, &o);
  return verdict.ok() ? val::null() : failure(verdict);
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
defocus::ModelInputSpec inputSpecFromJs(const val& spec) {
  defocus::ModelInputSpec s;
  s.width = spec["width"].as<int>();
  s.height = spec["height"].as<int>();
  s.channelsFirst = spec["channelsFirst"].as<bool>();
  s.letterbox = spec["letterbox"].as<bool>();
  for (int c = 0; c < 3; ++c) {
    s.mean[c] = spec["mean"][c].as<float>();
    s.std[c] = spec["std"][c].as<float>();
  }
  return s;
}

val preparedValue(const defocus::Result<defocus::PreparedInput>& prepared) {
  if (!prepared.ok()) return failure(prepared.status());
  val out = val::object();
  out.set("tensor", copyOut(prepared.value().tensor.data(), prepared.value().tensor.size()));
  out.set("placement", placementValue(prepared.value().placement));
  return out;
}

val prepareModelInput(const val& rgba, int width, int height, const val& spec) {
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  return preparedValue(defocus::prepareModelInput(image.value(), inputSpecFromJs(spec)));
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
defocus::MatteOptions matteOptionsFromJs(const val& options) {
  defocus::MatteOptions o;
  o.workingSize = options["workingSize"].as<int>();
  o.radius = options["radius"].as<float>();
  o.epsilon = options["epsilon"].as<float>();
  o.band = options["band"].as<bool>();
  return o;
}

val refineMatte(const val& rgba, int width, int height, const val& probability, const val& options) {
  const defocus::MatteOptions o = matteOptionsFromJs(options);
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

// person, object: planes or null; options: {minPersonArea, personSureness, personAgreement,
// groupSize, personWeight, minConfidence}, all present (the JS wrapper fills defaults);
// photo: {data, width, height} RGBA (any size, the wrapper sends it at the map's) or null.
val findSubject(const val& person, const val& object, float aspect, const val& options, const val& photo) {
  defocus::FusionOptions o;
  o.minPersonArea = options["minPersonArea"].as<float>();
  o.personSureness = options["personSureness"].as<float>();
  o.personAgreement = options["personAgreement"].as<float>();
  o.groupSize = options["groupSize"].as<float>();
  o.personWeight = options["personWeight"].as<float>();
  o.heldSize = options["heldSize"].as<float>();
  o.minConfidence = options["minConfidence"].as<float>();
  std::optional<defocus::ImagePlanar> p, s;
  for (auto [from, to] : {std::pair{&person, &p}, std::pair{&object, &s}}) {
    if (!present(*from)) continue;
    auto plane = planeFromJs(*from, "subject map");
    if (!plane.ok()) return failure(plane.status());
    *to = plane.take();
  }
  std::optional<defocus::ImageRGBA8> image;
  if (present(photo)) {
    auto decoded = imageFromJs(photo["data"], photo["width"].as<int>(), photo["height"].as<int>());
    if (!decoded.ok()) return failure(decoded.status());
    image = decoded.take();
  }
  auto found = defocus::findSubject(p ? &*p : nullptr, s ? &*s : nullptr, aspect, o, image ? &*image : nullptr);
  if (!found.ok()) return failure(found.status());
  const defocus::FoundSubject& f = found.value();
  val out = val::object();
  out.set("probability", planeValue(f.probability));
  out.set("kind", std::string(defocus::subjectKindName(f.kind)));
  out.set("people", f.people);
  out.set("confidence", f.confidence);
  val box = val::object();
  box.set("left", f.left);
  box.set("top", f.top);
  box.set("right", f.right);
  box.set("bottom", f.bottom);
  out.set("box", box);
  return out;
}

// found: {kind, box: {left, top, right, bottom}}; options: {margin, minGain, maxScale}.
defocus::ZoomOptions zoomOptionsFromJs(const val& options) {
  defocus::ZoomOptions o;
  o.margin = options["margin"].as<float>();
  o.minGain = options["minGain"].as<float>();
  o.maxScale = options["maxScale"].as<float>();
  return o;
}

val planZoom(const val& found, int photoWidth, int photoHeight, int modelWidth, int modelHeight, const val& options) {
  defocus::FoundSubject f;
  const std::string kind = found["kind"].as<std::string>();
  f.kind = kind == "people" ? defocus::SubjectKind::kPeople
           : kind == "object" ? defocus::SubjectKind::kObject : defocus::SubjectKind::kNone;
  f.left = found["box"]["left"].as<float>();
  f.top = found["box"]["top"].as<float>();
  f.right = found["box"]["right"].as<float>();
  f.bottom = found["box"]["bottom"].as<float>();
  const defocus::ZoomPlan plan = defocus::planZoom(f, photoWidth, photoHeight, modelWidth, modelHeight, zoomOptionsFromJs(options));
  val out = val::object();
  out.set("zoom", plan.zoom);
  out.set("left", plan.left);
  out.set("top", plan.top);
  out.set("width", plan.width);
  out.set("height", plan.height);
  out.set("gain", plan.gain);
  return out;
}

val cropImage(const val& rgba, int width, int height, int left, int top, int cropWidth, int cropHeight) {
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  auto crop = defocus::cropRgba8(image.value(), left, top, cropWidth, cropHeight);
  if (!crop.ok()) return failure(crop.status());
  return imageValue(crop.value());
}

val mergeZoom(const val& full, const val& crop, const val& plan, int photoWidth, int photoHeight, const val& options) {
  auto a = planeFromJs(full, "first map");
  if (!a.ok()) return failure(a.status());
  auto b = planeFromJs(crop, "zoomed map");
  if (!b.ok()) return failure(b.status());
  defocus::ZoomPlan p;
  p.zoom = true;
  p.left = plan["left"].as<int>();
  p.top = plan["top"].as<int>();
  p.width = plan["width"].as<int>();
  p.height = plan["height"].as<int>();
  p.gain = plan["gain"].as<float>();
  auto merged = defocus::mergeZoom(a.value(), b.value(), p, photoWidth, photoHeight, zoomOptionsFromJs(options));
  if (!merged.ok()) return failure(merged.status());
  return planeValue(merged.value());
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

// background: 'blur' | 'transparent' | '#rrggbb' | {width, height, data} (RGBA pixels),
// already checked by load-engine.js; blurBackground: blur a replacement by the depth.
// A replacement is fitted to the photo once and kept while the same colour or image object
// comes back (a slider move does not convert it again).
class ReplacementCache {
 public:
  defocus::Status apply(const val& options, int width, int height, defocus::RenderOptions* o) {
    const val background = options["background"];
    o->blurReplacement = options["blurBackground"].as<bool>();
    if (background.isString()) {
      const std::string name = background.as<std::string>();
      if (name == "blur") return defocus::Status::success();
      if (name == "transparent") {
        o->background = defocus::BackgroundMode::kTransparent;
        return defocus::Status::success();
      }
      if (name.size() != 7 || name[0] != '#') return {defocus::ErrorCode::kInvalidArgument, "background colour must be #rrggbb"};
    }
    if (!rows_ || !source_.strictlyEquals(background) || rows_->width() != width || rows_->height() != height) {
      rows_.reset();
      defocus::Result<defocus::ReplacementRows> fitted = fit(background, width, height);
      if (!fitted.ok()) return fitted.status();
      rows_ = std::make_unique<defocus::ReplacementRows>(fitted.take());
      source_ = background;
    }
    o->background = defocus::BackgroundMode::kReplace;
    o->replacementRows = rows_.get();  // made a band of rows at a time: no full-size planes
    return defocus::Status::success();
  }

 private:
  static defocus::Result<defocus::ReplacementRows> fit(const val& background, int width, int height) {
    if (background.isString()) {
      const std::string hex = background.as<std::string>();
      unsigned rgb = 0;
      for (size_t i = 1; i < hex.size(); ++i) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i])));
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0) return defocus::Status{defocus::ErrorCode::kInvalidArgument, "background colour must be #rrggbb"};
        rgb = rgb * 16 + static_cast<unsigned>(digit);
      }
      return defocus::ReplacementRows::solid((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, width, height);
    }
    auto image = imageFromJs(background["data"], background["width"].as<int>(), background["height"].as<int>());
    if (!image.ok()) return image.status();
    return defocus::ReplacementRows::cover(image.value(), width, height);
  }

  std::unique_ptr<defocus::ReplacementRows> rows_;
  val source_ = val::null();
};

// A photo and its (brushed) matte prepared once; render() per change of options.
class PortraitSession {
 public:
  PortraitSession(const val& rgba, int width, int height, const val& matte, const val& strokes) {
    status_ = answer([&] { return prepare(rgba, width, height, matte, strokes); });
  }

  val error() const { return status_.ok() ? val::null() : failure(status_); }

  val render(const val& options, const val& depthMap) {
    return answer([&] { return renderOnce(options, depthMap); });
  }

 private:
  val renderOnce(const val& options, const val& depthMap) {
    if (!status_.ok()) return failure(status_);
    defocus::RenderOptions o;
    defocus::Status parsed = renderOptionsFromJs(options, &o);
    if (!parsed.ok()) return failure(parsed);
    parsed = replacement_.apply(options, width_, height_, &o);
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

  defocus::Status prepare(const val& rgba, int width, int height, const val& matte, const val& strokes) {
    auto image = imageFromJs(rgba, width, height);
    if (!image.ok()) return image.status();
    width_ = width, height_ = height;
    auto m = planeFromJs(matte, "matte");
    if (!m.ok()) return m.status();
    defocus::Status brushed = defocus::applyStrokes(m.value(), strokesFromJs(strokes));
    if (!brushed.ok()) return brushed;
    // The session's own copies, shared with the renderer rather than copied again.
    auto renderer = defocus::PortraitRenderer::create(std::make_shared<const defocus::ImageRGBA8>(image.take()),
                                                      std::make_shared<const defocus::ImagePlanar>(m.take()));
    if (!renderer.ok()) return renderer.status();
    renderer_ = renderer.take();
    return defocus::Status::success();
  }

  defocus::Status status_;
  int width_ = 0, height_ = 0;
  std::optional<defocus::PortraitRenderer> renderer_;
  ReplacementCache replacement_;
  std::unique_ptr<defocus::ImagePlanar> depthMap_;
  val depthMapSource_ = val::null();
};

// The session, or {error, code}. Made here rather than by an Embind constructor so the
// allocation of the object itself is answered too (a constructor's bad_alloc would escape
// to JS). JS owns the handle and frees it with .delete().
val preparePortrait(const val& rgba, int width, int height, const val& matte, const val& strokes) {
  auto session = std::make_shared<PortraitSession>(rgba, width, height, matte, strokes);
  val error = session->error();
  if (!error.isNull()) return error;
  return val(std::move(session));
}

// The radius map a render uses (background, pixels) and the subject's radius; the photo's
// focus is read from its pixels. depthMap: plane or null.
val blurRadii(const val& rgba, int width, int height, const val& matte, const val& options, const val& depthMap) {
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  auto m = planeFromJs(matte, "matte");
  if (!m.ok()) return failure(m.status());
  defocus::RenderOptions o;
  defocus::Status parsed = renderOptionsFromJs(options, &o);
  if (!parsed.ok()) return failure(parsed);
  std::optional<defocus::ImagePlanar> map;
  if (present(depthMap)) {
    auto plane = planeFromJs(depthMap, "depth map");
    if (!plane.ok()) return failure(plane.status());
    map = plane.take();
  }
  auto linear = defocus::rgba8ToLinear(image.value(), 3);
  if (!linear.ok()) return failure(linear.status());
  if (m.value().width != width || m.value().height != height) {
    return failure({defocus::ErrorCode::kInvalidArgument, "matte and photo differ in size"});
  }
  auto radii = defocus::renderRadii(m.value(), o, map ? &*map : nullptr, &linear.value());
  if (!radii.ok()) return failure(radii.status());
  val out = planeValue(radii.value().background);
  out.set("subject", radii.value().subject);
  return out;
}

// A photo kept in the engine (defocus::Photo): opened from a file's bytes or from pixels,
// read in place by the model input, the matte, renders and the encoder.
// source: {bytes, maxPixels, applyOrientation} or {data, width, height}.
// Every method is answered (a failed allocation becomes out_of_memory); made by openPhoto.
class EnginePhoto {
 public:
  explicit EnginePhoto(const val& source) { status_ = answer([&] { return open(source); }); }

  val error() const { return status_.ok() ? val::null() : failure(status_); }

  val info() const {
    val out = val::object();
    out.set("width", photo_->image().width);
    out.set("height", photo_->image().height);
    out.set("format", photo_->format());
    out.set("orientation", photo_->orientation());
    return out;
  }

  val pixels() const {
    return answer([&] { return imageValue(photo_->image()); });
  }

  val resize(int width, int height) const {
    return answer([&] {
      auto resized = defocus::shrinkRgba8(photo_->image(), width, height);  // a preview: usually a large shrink
      if (!resized.ok()) return failure(resized.status());
      return imageValue(resized.value());
    });
  }

  val modelInput(const val& spec) const {
    return answer([&] { return preparedValue(photo_->modelInput(inputSpecFromJs(spec))); });
  }

  // The matte from the model's probability map; returns {coverage}.
  val setMatte(const val& probability, const val& options, bool refine) {
    return answer([&] { return setMatteNow(probability, options, refine); });
  }

  val matte() const {
    return answer([&] {
      if (!photo_->hasMatte()) return failure({defocus::ErrorCode::kInvalidArgument, "the photo has no matte yet"});
      auto plane = photo_->matte().toPlane();  // floats for JavaScript, as the matte always was
      if (!plane.ok()) return failure(plane.status());
      return planeValue(plane.value());
    });
  }

  val render(const val& options, const val& strokes, const val& depthMap) {
    return answer([&] {
      auto rendered = renderHere(options, strokes, depthMap);
      if (!rendered.ok()) return failure(rendered.status());
      return imageValue(rendered.value());
    });
  }

  // Rendered and encoded here: the full-size pixels never leave the engine.
  val renderEncoded(const val& options, const val& strokes, const val& depthMap, const std::string& format, int quality) {
    return answer([&] { return renderEncodedNow(options, strokes, depthMap, format, quality); });
  }

  void releaseRenderer() { photo_->releaseRenderer(); }

 private:
  val setMatteNow(const val& probability, const val& options, bool refine) {
    auto p = planeFromJs(probability, "probability");
    if (!p.ok()) return failure(p.status());
    defocus::Status ok = photo_->setMatteFrom(p.value(), matteOptionsFromJs(options), refine);
    if (!ok.ok()) return failure(ok);
    val out = val::object();
    out.set("coverage", photo_->coverage());
    return out;
  }

  val renderEncodedNow(const val& options, const val& strokes, const val& depthMap, const std::string& format,
                       int quality) {
    defocus::Result<defocus::Bytes> encoded = defocus::Status{};
    const double start = emscripten_get_now();
    double rendered_at = start;
    {
      auto rendered = renderHere(options, strokes, depthMap);
      if (!rendered.ok()) return failure(rendered.status());
      rendered_at = emscripten_get_now();
      // An export: what the renderer keeps for the next slider move (the fill's pyramid, the
      // cover runs; ~1.3 bytes a pixel) goes before the encoder takes its own memory.
      photo_->releaseRenderer();
      encoded = defocus::encodeAs(rendered.take(), format, quality);  // a PNG is filtered in its pixels
    }
    if (!encoded.ok()) return failure(encoded.status());
    val out = val::object();
    out.set("bytes", copyOut(encoded.value().data(), encoded.value().size()));
    out.set("render", rendered_at - start);  // ms
    out.set("encode", emscripten_get_now() - rendered_at);
    return out;
  }


  defocus::Status open(const val& source) {
    if (present(source["bytes"])) {
      defocus::Bytes input;
      if (!copyIn(source["bytes"], input)) return {defocus::ErrorCode::kOutOfMemory, "out of memory copying the file into the engine"};
      defocus::DecodeOptions options;
      options.maxPixels = static_cast<uint64_t>(source["maxPixels"].as<double>());
      options.applyOrientation = source["applyOrientation"].as<bool>();
      auto photo = defocus::Photo::decode(input.data(), input.size(), options);
      if (!photo.ok()) return photo.status();
      photo_ = std::make_unique<defocus::Photo>(photo.take());
      return defocus::Status::success();
    }
    auto image = imageFromJs(source["data"], source["width"].as<int>(), source["height"].as<int>());
    if (!image.ok()) return image.status();
    auto photo = defocus::Photo::fromPixels(image.take());
    if (!photo.ok()) return photo.status();
    photo_ = std::make_unique<defocus::Photo>(photo.take());
    return defocus::Status::success();
  }

  defocus::Result<defocus::ImageRGBA8> renderHere(const val& options, const val& strokes, const val& depthMap) {
    defocus::RenderOptions o;
    defocus::Status parsed = renderOptionsFromJs(options, &o);
    if (!parsed.ok()) return parsed;
    parsed = replacement_.apply(options, photo_->image().width, photo_->image().height, &o);
    if (!parsed.ok()) return parsed;
    if (present(depthMap)) {
      auto map = planeFromJs(depthMap, "depth map");
      if (!map.ok()) return map.status();
      if (!depthMap_ || !depthMapSource_.strictlyEquals(depthMap)) depthMap_ = std::make_unique<defocus::ImagePlanar>(map.take());
      depthMapSource_ = depthMap;
    }
    return photo_->render(o, strokesFromJs(strokes), present(depthMap) ? depthMap_.get() : nullptr);
  }

  defocus::Status status_;
  std::unique_ptr<defocus::Photo> photo_;
  std::unique_ptr<defocus::ImagePlanar> depthMap_;
  val depthMapSource_ = val::null();
  ReplacementCache replacement_;
};

// The photo handle, or {error, code} (a file that does not decode, a size over maxPixels).
val openPhoto(const val& source) {
  auto photo = std::make_shared<EnginePhoto>(source);
  val error = photo->error();
  if (!error.isNull()) return error;
  return val(std::move(photo));
}



// One-off render: options as above plus strokes; depthMap: plane or null.
val render(const val& rgba, int width, int height, const val& matte, const val& options, const val& depthMap) {
  PortraitSession session(rgba, width, height, matte, options["strokes"]);
  return session.render(options, depthMap);
}

val warmUp() {
  defocus::Status ok = defocus::warmUp();
  return ok.ok() ? val::object() : failure(ok);
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

// For leak and memory tests: the size of linear memory, the bytes malloc has handed out and
// the most it ever held, as doubles. The heap's size is read in JS (a 4 GB heap is 0 in wasm32's size_t);
// mallinfo's fields are `int` in Emscripten's header (dlmalloc fills them from size_t)
// and read negative above 2 GB, so `allocated` is taken back as unsigned 32-bit.
val heapStats() {
  val out = val::object();
  out.set("heapSize", val::module_property("HEAPU8")["length"]);
  const struct mallinfo info = mallinfo();
  out.set("allocated", static_cast<double>(static_cast<uint32_t>(info.uordblks)));
  // dlmalloc's max_footprint: the most memory malloc ever held from the heap, the engine's
  // high-water mark (linear memory never shrinks, so this is what a photo costs).
  out.set("peak", static_cast<double>(static_cast<uint32_t>(info.usmblks)));
  return out;
}

// The allocation-failure hook of engine/include/defocus/allocation_failure.h, for tests:
// failAllocationAfter(n) fails the (n+1)-th allocation from now, once.
void failAllocationAfter(double n) { defocus::failAllocationAfter(static_cast<uint64_t>(std::max(0.0, n))); }
void cancelAllocationFailure() { defocus::cancelAllocationFailure(); }
bool allocationFailurePending() { return defocus::allocationFailurePending(); }
double allocationCount() { return static_cast<double>(defocus::allocationCount()); }

}  // namespace

EMSCRIPTEN_BINDINGS(defocus_engine) {
  emscripten::function("decode", exported<&decode>);
  emscripten::function("probe", exported<&probe>);
  emscripten::function("inspect", exported<&inspect>);
  emscripten::function("encode", exported<&encode>);
  emscripten::function("resize", exported<&resize>);
  emscripten::function("blur", exported<&blur>);
  emscripten::function("optionSchema", exported<&optionSchema>);
  emscripten::function("checkOptions", exported<&checkOptions>);
  emscripten::function("prepareModelInput", exported<&prepareModelInput>);
  emscripten::function("probabilityFromOutput", exported<&probabilityFromOutput>);
  emscripten::function("depthFromOutput", exported<&depthFromOutput>);
  emscripten::function("refineMatte", exported<&refineMatte>);
  emscripten::function("upsampleMatte", exported<&upsampleMatte>);
  emscripten::function("scoreMatte", exported<&scoreMatte>);
  emscripten::function("applyStrokes", exported<&applyStrokes>);
  emscripten::function("stabilizeMatte", exported<&stabilizeMatte>);
  emscripten::function("render", exported<&render>);
  emscripten::function("blurRadii", exported<&blurRadii>);
  emscripten::function("findSubject", exported<&findSubject>);
  emscripten::function("planZoom", exported<&planZoom>);
  emscripten::function("cropImage", exported<&cropImage>);
  emscripten::function("mergeZoom", exported<&mergeZoom>);
  emscripten::class_<PortraitSession>("PortraitSession")
      .smart_ptr<std::shared_ptr<PortraitSession>>("PortraitSessionHandle")
      .function("render", &PortraitSession::render);
  emscripten::function("preparePortrait", exported<&preparePortrait>);
  emscripten::class_<EnginePhoto>("EnginePhoto")
      .smart_ptr<std::shared_ptr<EnginePhoto>>("EnginePhotoHandle")
      .function("info", &EnginePhoto::info)
      .function("pixels", &EnginePhoto::pixels)
      .function("resize", &EnginePhoto::resize)
      .function("modelInput", &EnginePhoto::modelInput)
      .function("setMatte", &EnginePhoto::setMatte)
      .function("matte", &EnginePhoto::matte)
      .function("render", &EnginePhoto::render)
      .function("renderEncoded", &EnginePhoto::renderEncoded)
      .function("releaseRenderer", &EnginePhoto::releaseRenderer);
  emscripten::function("openPhoto", exported<&openPhoto>);
  emscripten::function("srgbToLinear", exported<&srgbToLinear>);
  emscripten::function("warmUp", exported<&warmUp>);
  emscripten::function("linearToSrgb", exported<&linearToSrgb>);
  emscripten::function("setRenderThreads", &setRenderThreads);
  emscripten::function("heapStats", &heapStats);
  emscripten::function("failAllocationAfter", &failAllocationAfter);
  emscripten::function("cancelAllocationFailure", &cancelAllocationFailure);
  emscripten::function("allocationFailurePending", &allocationFailurePending);
  emscripten::function("allocationCount", &allocationCount);
}
