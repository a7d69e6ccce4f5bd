// The engine-side photo (defocus::Photo) JS holds a handle to: the file decoded once and kept
// in the engine, so the model input, matte, renders and export read it in place.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "defocus/codec.h"
#include "defocus/photo.h"
#include "defocus/resample.h"
#include "defocus/ycbcr.h"
#include "matte_bindings.h"
#include "render_options.h"

namespace defocus_js {

namespace {

// Pixels the caller writes straight into the engine (a decoded frame's copyTo) and then
// opens as a photo: a photo the browser decoded reaches the engine with no copy of it in
// JavaScript, whose fresh 4 bytes a pixel cost ~140 ms of a 12 MP photo in Chromium.
class IncomingPixels {
 public:
  IncomingPixels(int width, int height) {
    status_ = answer([&] {
      auto image = defocus::ImageRGBA8::create(width, height);
      if (!image.ok()) return image.status();
      image_ = std::make_unique<defocus::ImageRGBA8>(image.take());
      return defocus::Status::success();
    });
  }

  val error() const { return status_.ok() ? val::null() : failure(status_); }

  // The pixels' bytes, a view into the engine's memory (null once opened). Take it right
  // before writing: in the one-thread build a view made before the memory grows is detached.
  val view() const {
    if (!image_) return val::null();
    return val(emscripten::typed_memory_view(image_->pixels.size(), image_->pixels.data()));
  }

  std::unique_ptr<defocus::ImageRGBA8> take() { return std::move(image_); }

 private:
  defocus::Status status_;
  std::unique_ptr<defocus::ImageRGBA8> image_;
};

// A JPEG's planes as the browser decoded them (an ImageDecoder frame in I420, I422 or I444),
// written straight into the engine by the caller (copyTo with layout()), then opened as a
// photo: turned to RGBA here as libjpeg does it, where the browser's own conversion of the
// frame repeats each chroma sample over its 2 x 2 pixels (40 dB from libjpeg on fine colour).
class IncomingPlanes {
 public:
  IncomingPlanes(int width, int height, int chromaShiftX, int chromaShiftY) {
    status_ = answer([&] {
      auto planes = defocus::YCbCrImage::create(width, height, chromaShiftX, chromaShiftY);
      if (!planes.ok()) return planes.status();
      planes_ = std::make_unique<defocus::YCbCrImage>(planes.take());
      return defocus::Status::success();
    });
  }

  val error() const { return status_.ok() ? val::null() : failure(status_); }

  // The planes' bytes (null once opened); taken right before writing, as IncomingPixels's.
  val view() const {
    if (!planes_) return val::null();
    return val(emscripten::typed_memory_view(planes_->bytes.size(), planes_->bytes.data()));
  }

  // WebCodecs' PlaneLayout list: where copyTo puts each plane's rows in view().
  val layout() const {
    val planes = val::array();
    if (!planes_) return planes;
    const auto plane = [](size_t offset, int stride) {
      val p = val::object();
      p.set("offset", static_cast<double>(offset));
      p.set("stride", stride);
      return p;
    };
    planes.call<void>("push", plane(0, planes_->width));
    planes.call<void>("push", plane(planes_->chromaOffset(1), planes_->chromaWidth()));
    planes.call<void>("push", plane(planes_->chromaOffset(2), planes_->chromaWidth()));
    return planes;
  }

  // The RGBA pixels, made once; the planes are freed then.
  defocus::Result<defocus::ImageRGBA8> takeRgba(int threads) {
    if (!planes_) return defocus::Status{defocus::ErrorCode::kInvalidArgument, "these incoming planes were opened already"};
    const std::unique_ptr<defocus::YCbCrImage> planes = std::move(planes_);
    auto image = defocus::ImageRGBA8::create(planes->width, planes->height);
    if (!image.ok()) return image.status();
    const defocus::Status converted = defocus::ycbcrToRgba(planes->planes(), image.value(), threads);
    if (!converted.ok()) return converted;
    return image;
  }

 private:
  defocus::Status status_;
  std::unique_ptr<defocus::YCbCrImage> planes_;
};

// A photo kept in the engine (defocus::Photo): opened from a file's bytes or from pixels,
// read in place by the model input, the matte, renders and the encoder.
// source: {bytes, maxPixels, applyOrientation}, {data, width, height}, {incoming}
// (IncomingPixels, whose pixels the photo takes over) or {planes} (IncomingPlanes).
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
      // A preview or the subject finder's colours: usually a large shrink.
      auto resized = defocus::shrinkRgba8(photo_->image(), width, height, idleThreads());
      if (!resized.ok()) return failure(resized.status());
      return imageValue(resized.value());
    });
  }

  val modelInput(const val& spec) const {
    return answer([&] { return preparedValue(photo_->modelInput(inputSpecFromJs(spec), idleThreads())); });
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

  // Rendered and held here, for the caller to take a band of rows at a time (heldRows): a
  // browser's encoder draws it so. A full-size copy in JavaScript was 4 bytes a pixel of
  // fresh memory on every export. As an export, the renderer's keep goes too. {width, height}.
  val renderHeld(const val& options, const val& strokes, const val& depthMap) {
    held_.reset();
    return answer([&] {
      auto rendered = renderHere(options, strokes, depthMap);
      if (!rendered.ok()) return failure(rendered.status());
      photo_->releaseRenderer();
      held_ = std::make_unique<defocus::ImageRGBA8>(rendered.take());
      val out = val::object();
      out.set("width", held_->width);
      out.set("height", held_->height);
      return out;
    });
  }

  // Rows [y0, y1) of the held render into `target`, a typed array of exactly their bytes.
  val heldRows(int y0, int y1, const val& target) const {
    if (!held_ || y0 < 0 || y1 > held_->height || y0 >= y1 ||
        target["length"].as<double>() != 4.0 * held_->width * (y1 - y0)) {
      return failure({defocus::ErrorCode::kInvalidArgument, "heldRows: no held render, or rows or target out of range"});
    }
    target.call<void>("set", val(emscripten::typed_memory_view(4 * static_cast<size_t>(held_->width) * (y1 - y0), held_->row(y0))));
    return val::object();
  }

  void releaseHeld() { held_.reset(); }

  // Rendered and encoded here: the full-size pixels never leave the engine.
  val renderEncoded(const val& options, const val& strokes, const val& depthMap, const std::string& format, int quality) {
    return answer([&] { return renderEncodedNow(options, strokes, depthMap, format, quality); });
  }

  void releaseRenderer() { photo_->releaseRenderer(); }

 private:
  val setMatteNow(const val& probability, const val& options, bool refine) {
    auto p = planeFromJs(probability, "probability");
    if (!p.ok()) return failure(p.status());
    defocus::MatteOptions o = matteOptionsFromJs(options);
    o.threads = fullSizeThreads();
    defocus::Status ok = photo_->setMatteFrom(p.value(), o, refine);
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
    auto image = present(source["incoming"]) ? incomingImage(source["incoming"])
                 : present(source["planes"]) ? source["planes"].as<IncomingPlanes*>(emscripten::allow_raw_pointers())->takeRgba(idleThreads())
                                             : imageFromJs(source["data"], source["width"].as<int>(), source["height"].as<int>());
    if (!image.ok()) return image.status();
    auto photo = defocus::Photo::fromPixels(image.take());
    if (!photo.ok()) return photo.status();
    photo_ = std::make_unique<defocus::Photo>(photo.take());
    return defocus::Status::success();
  }

  // The pixels an IncomingPixels handle holds, taken over (once).
  static defocus::Result<defocus::ImageRGBA8> incomingImage(const val& incoming) {
    std::unique_ptr<defocus::ImageRGBA8> pixels = incoming.as<IncomingPixels*>(emscripten::allow_raw_pointers())->take();
    if (!pixels) return defocus::Status{defocus::ErrorCode::kInvalidArgument, "these incoming pixels were opened already"};
    return std::move(*pixels);
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
  std::unique_ptr<defocus::ImageRGBA8> held_;  // renderHeld's pixels, until releaseHeld
  val depthMapSource_ = val::null();
  ReplacementCache replacement_;
};

// Room for a width x height photo's pixels, or {error, code} (a bad size, out of memory).
val receivePixels(int width, int height) {
  auto incoming = std::make_shared<IncomingPixels>(width, height);
  val error = incoming->error();
  if (!error.isNull()) return error;
  return val(std::move(incoming));
}

// Room for a width x height picture's planes (chroma halved on the shifted axes), or {error, code}.
val receivePlanes(int width, int height, int chromaShiftX, int chromaShiftY) {
  auto incoming = std::make_shared<IncomingPlanes>(width, height, chromaShiftX, chromaShiftY);
  val error = incoming->error();
  if (!error.isNull()) return error;
  return val(std::move(incoming));
}

// The photo handle, or {error, code} (a file that does not decode, a size over maxPixels).
val openPhoto(const val& source) {
  auto photo = std::make_shared<EnginePhoto>(source);
  val error = photo->error();
  if (!error.isNull()) return error;
  return val(std::move(photo));
}

}  // namespace

}  // namespace defocus_js

EMSCRIPTEN_BINDINGS(defocus_photo) {
  using namespace defocus_js;
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
      .function("renderHeld", &EnginePhoto::renderHeld)
      .function("heldRows", &EnginePhoto::heldRows)
      .function("releaseHeld", &EnginePhoto::releaseHeld)
      .function("releaseRenderer", &EnginePhoto::releaseRenderer);
  emscripten::function("openPhoto", exported<&openPhoto>);
  emscripten::class_<IncomingPixels>("IncomingPixels")
      .smart_ptr<std::shared_ptr<IncomingPixels>>("IncomingPixelsHandle")
      .function("view", &IncomingPixels::view);
  emscripten::function("receivePixels", exported<&receivePixels>);
  emscripten::class_<IncomingPlanes>("IncomingPlanes")
      .smart_ptr<std::shared_ptr<IncomingPlanes>>("IncomingPlanesHandle")
      .function("view", &IncomingPlanes::view)
      .function("layout", &IncomingPlanes::layout);
  emscripten::function("receivePlanes", exported<&receivePlanes>);
}
