#include "js_values.h"

#include <algorithm>
#include <string>

namespace defocus_js {

val failure(const defocus::Status& status) {
  val out = val::object();
  out.set("error", status.reason());
  out.set("code", std::string(defocus::errorCodeName(status.code())));
  return out;
}

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

bool present(const val& v) { return !v.isNull() && !v.isUndefined(); }

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

}  // namespace defocus_js
