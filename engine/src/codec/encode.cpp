#include <stb_image_write.h>

#include <string>

#include "defocus/codec.h"

namespace defocus {
namespace {

struct Sink {
  Bytes bytes;
  bool failed = false;
};

void writeToSink(void* context, void* data, int size) {
  Sink* sink = static_cast<Sink*>(context);
  if (!sink->failed && !sink->bytes.append(static_cast<const uint8_t*>(data), static_cast<size_t>(size))) {
    sink->failed = true;
  }
}

Status checkEncodable(const ImageRGBA8& image) {
  Status shape = checkImageShape(image.width, image.height, 4, 1);
  if (!shape.ok()) return shape;
  if (image.pixels.size() != static_cast<size_t>(image.width) * image.height * 4) {
    return {ErrorCode::kInvalidArgument, "pixel buffer does not match the image size"};
  }
  return Status::success();
}

Result<Bytes> finish(Sink& sink, int written, const char* format) {
  if (sink.failed) return Status{ErrorCode::kOutOfMemory, std::string("out of memory encoding ") + format};
  if (!written) return Status{ErrorCode::kOutOfMemory, std::string(format) + " encoder failed"};
  return std::move(sink.bytes);
}

}  // namespace

Result<Bytes> encodePng(const ImageRGBA8& image) {
  Status ok = checkEncodable(image);
  if (!ok.ok()) return ok;
  Sink sink;
  const int written =
      stbi_write_png_to_func(writeToSink, &sink, image.width, image.height, 4, image.pixels.data(), image.width * 4);
  return finish(sink, written, "png");
}

Result<Bytes> encodeJpeg(const ImageRGBA8& image, int quality) {
  if (quality < 1 || quality > 100) {
    return Status{ErrorCode::kInvalidArgument, "quality must be 1..100, got " + std::to_string(quality)};
  }
  Status ok = checkEncodable(image);
  if (!ok.ok()) return ok;
  if (image.width > 65535 || image.height > 65535) {
    return Status{ErrorCode::kTooLarge, "jpeg cannot store sides above 65535 pixels"};
  }
  Sink sink;
  const int written = stbi_write_jpg_to_func(writeToSink, &sink, image.width, image.height, 4, image.pixels.data(),
                                             quality);
  return finish(sink, written, "jpeg");
}

}  // namespace defocus
