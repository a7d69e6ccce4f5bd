// Any bytes as a file: probe, decode (every stb format, EXIF orientation applied), resize,
// encode PNG and JPEG. A PNG round trip must give the same pixels back.
#include <cstdlib>

#include "defocus/codec.h"
#include "defocus/resample.h"
#include "fuzz_input.h"

using namespace defocus;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<ImageInfo> info = probeImage(data, size);
  if (!info.ok()) defocus_fuzz::checkReason(info.status().reason());
  DecodeOptions options;
  options.maxPixels = 1 << 20;  // 1 MP: a small file may claim a large image, runs stay fast
  Result<DecodedImage> decoded = decodeImage(data, size, options);
  if (!decoded.ok()) {
    defocus_fuzz::checkReason(decoded.status().reason());
    return 0;
  }
  const ImageRGBA8& image = decoded.value().image;
  // The size from the last bytes, so the fuzzer can steer it without touching the header.
  const int w = 1 + (size > 1 ? data[size - 1] % 64 : 0), h = 1 + (size > 2 ? data[size - 2] % 64 : 0);
  Result<ImageRGBA8> resized = resizeRgba8(image, w, h);
  if (!resized.ok()) std::abort();  // a decoded image always resizes
  Result<Bytes> png = encodePng(resized.value());
  Result<Bytes> jpeg = encodeJpeg(resized.value(), 1 + data[0] % 100);
  if (!png.ok() || !jpeg.ok()) std::abort();
  DecodeOptions asIs;
  asIs.applyOrientation = false;
  Result<DecodedImage> back = decodeImage(png.value().data(), png.value().size(), asIs);
  if (!back.ok() || back.value().image.width != w || back.value().image.height != h ||
      std::memcmp(back.value().image.pixels.data(), resized.value().pixels.data(), resized.value().pixels.size()) != 0) {
    std::abort();  // PNG is lossless
  }
  return 0;
}
