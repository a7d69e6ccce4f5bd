// Renders from pixels JS holds: the PortraitSession (photo and brushed matte prepared once,
// one render per options change), the one-off render, and the blur radii a render uses.
#include <memory>
#include <optional>
#include <utility>

#include "defocus/color.h"
#include "defocus/render.h"
#include "matte_bindings.h"
#include "render_options.h"

namespace defocus_js {

namespace {

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

// One-off render: options as above plus strokes; depthMap: plane or null.
val render(const val& rgba, int width, int height, const val& matte, const val& options, const val& depthMap) {
  PortraitSession session(rgba, width, height, matte, options["strokes"]);
  return session.render(options, depthMap);
}

}  // namespace

}  // namespace defocus_js

EMSCRIPTEN_BINDINGS(defocus_session) {
  using namespace defocus_js;
  emscripten::class_<PortraitSession>("PortraitSession")
      .smart_ptr<std::shared_ptr<PortraitSession>>("PortraitSessionHandle")
      .function("render", &PortraitSession::render);
  emscripten::function("preparePortrait", exported<&preparePortrait>);
  emscripten::function("render", exported<&render>);
  emscripten::function("blurRadii", exported<&blurRadii>);
}
