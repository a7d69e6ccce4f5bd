// The walkers that read a file's structure before (or instead of) stb: format sniffing, the
// JPEG segment walk (EXIF orientation, end-of-image, Huffman tables), the PNG chunk walk
// (completeness, size, CRCs, zlib Adler-32), and applying the orientation found.
#include <cstdlib>

#include "defocus/orientation.h"
#include "codec/format_sniff.h"
#include "fuzz_input.h"
#include "codec/jpeg_huffman_check.h"
#include "codec/jpeg_segments.h"
#include "codec/png_checksums.h"

using namespace defocus;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sniffFormat(data, size);
  uint32_t w = 0, h = 0;
  pngHeaderSize(data, size, &w, &h);
  if (pngIsComplete(data, size)) {
    Status crcs = checkPngChunkCrcs(data, size);
    if (!crcs.ok()) defocus_fuzz::checkReason(crcs.reason());
    Status adler = checkPngAdler(data, size, 1 << 16);
    if (!adler.ok()) defocus_fuzz::checkReason(adler.reason());
  }
  Status tables = checkJpegHuffmanTables(data, size);
  if (!tables.ok()) defocus_fuzz::checkReason(tables.reason());
  jpegHasEndOfImage(data, size);
  const int orientation = readJpegOrientation(data, size);
  if (orientation < 1 || orientation > 8) std::abort();
  // The orientation on a small image whose size comes from the data.
  const int iw = 1 + (size > 0 ? data[0] % 7 : 0), ih = 1 + (size > 1 ? data[1] % 5 : 0);
  Result<ImageRGBA8> image = ImageRGBA8::create(iw, ih);
  if (!image.ok()) std::abort();
  for (size_t i = 0; i < image.value().pixels.size(); ++i) image.value().pixels[i] = static_cast<uint8_t>(i);
  Result<ImageRGBA8> upright = applyOrientation(image.value(), orientation);
  if (!upright.ok()) std::abort();
  const bool swapped = orientation >= 5;
  if (upright.value().width != (swapped ? ih : iw) || upright.value().height != (swapped ? iw : ih)) std::abort();
  return 0;
}
