// Model tensors in and out (prepare an input, read a probability or depth output) and the
// matte: refine, upsample, score, stabilise across frames, brush.
#include "matte_bindings.h"

#include <string>
#include <utility>

#include "defocus/matte_metrics.h"
#include "defocus/matte_stabilizer.h"

namespace defocus_js {

namespace {

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

val applyStrokes(const val& matte, const val& strokes) {
  auto m = planeFromJs(matte, "matte");
  if (!m.ok()) return failure(m.status());
  defocus::Status ok = defocus::applyStrokes(m.value(), strokesFromJs(strokes));
  if (!ok.ok()) return failure(ok);
  return planeValue(m.value());
}

}  // namespace

// Declared in the header, which says what they take: the other binding files use them too.
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

defocus::MatteOptions matteOptionsFromJs(const val& options) {
  defocus::MatteOptions o;
  o.workingSize = options["workingSize"].as<int>();
  o.radius = options["radius"].as<float>();
  o.epsilon = options["epsilon"].as<float>();
  o.band = options["band"].as<bool>();
  return o;
}

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

}  // namespace defocus_js

EMSCRIPTEN_BINDINGS(defocus_matte) {
  using namespace defocus_js;
  emscripten::function("prepareModelInput", exported<&prepareModelInput>);
  emscripten::function("probabilityFromOutput", exported<&probabilityFromOutput>);
  emscripten::function("depthFromOutput", exported<&depthFromOutput>);
  emscripten::function("refineMatte", exported<&refineMatte>);
  emscripten::function("upsampleMatte", exported<&upsampleMatte>);
  emscripten::function("scoreMatte", exported<&scoreMatte>);
  emscripten::function("applyStrokes", exported<&applyStrokes>);
  emscripten::function("stabilizeMatte", exported<&stabilizeMatte>);
}
