// Finding the subject in the models' maps, and the zoomed second look at a small one
// (plan the crop, crop the photo, merge the zoomed map back).
#include <optional>
#include <string>
#include <utility>

#include "defocus/resample.h"
#include "defocus/subject_fusion.h"
#include "defocus/subject_zoom.h"
#include "js_values.h"

namespace defocus_js {

namespace {

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

}  // namespace

}  // namespace defocus_js

EMSCRIPTEN_BINDINGS(defocus_subject) {
  using namespace defocus_js;
  emscripten::function("findSubject", exported<&findSubject>);
  emscripten::function("planZoom", exported<&planZoom>);
  emscripten::function("cropImage", exported<&cropImage>);
  emscripten::function("mergeZoom", exported<&mergeZoom>);
}
