// Files in and out: decode, probe and inspect image bytes; encode and resize RGBA pixels.
#include <cstdint>
#include <string>

#include "defocus/codec.h"
#include "defocus/resample.h"
#include "js_values.h"

namespace defocus_js {

namespace {

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

}  // namespace

}  // namespace defocus_js

EMSCRIPTEN_BINDINGS(defocus_codec) {
  using namespace defocus_js;
  emscripten::function("decode", exported<&decode>);
  emscripten::function("probe", exported<&probe>);
  emscripten::function("inspect", exported<&inspect>);
  emscripten::function("encode", exported<&encode>);
  emscripten::function("resize", exported<&resize>);
}
