// JPEG planes to RGBA (defocus/ycbcr.h): libjpeg's upsampling (jdsample.c, "fancy") and
// colour conversion (jdcolor.c) redone from their published arithmetic.
#include "defocus/ycbcr.h"

#include <algorithm>
#include <vector>

#include "core/row_runs.h"

namespace defocus {

namespace {

// JFIF's YCbCr -> RGB in libjpeg's 16-bit fixed point: FIX(x) = round(x * 65536).
constexpr int kScaleBits = 16;
constexpr int kHalf = 1 << (kScaleBits - 1);
constexpr int kCrToR = 91881;   // FIX(1.40200)
constexpr int kCbToB = 116130;  // FIX(1.77200)
constexpr int kCrToG = 46802;   // FIX(0.71414)
constexpr int kCbToG = 22554;   // FIX(0.34414)

// A row of chroma sums at full width: output 2i is 3/4 sum i and 1/4 sum i - 1, output
// 2i + 1 3/4 sum i and 1/4 sum i + 1 (the edge sum standing in beyond the row). libjpeg
// rounds the two with different biases (h2v2: 8 and 7 of 16; h2v1: 1 and 2 of 4), so that
// rounding does not drift one way. Constants as template arguments, edges outside the loop:
// the compiler vectorises it.
template <int kShift, int kEvenBias, int kOddBias>
void widen(const int* __restrict sums, int columns, int width, int* __restrict out) {
  const int last = columns - 1;
  out[0] = (3 * sums[0] + sums[0] + kEvenBias) >> kShift;
  if (last == 0) {
    if (width > 1) out[1] = (4 * sums[0] + kOddBias) >> kShift;
    return;
  }
  out[1] = (3 * sums[0] + sums[1] + kOddBias) >> kShift;
  for (int i = 1; i < last; ++i) {
    const int here = 3 * sums[i];
    out[2 * i] = (here + sums[i - 1] + kEvenBias) >> kShift;
    out[2 * i + 1] = (here + sums[i + 1] + kOddBias) >> kShift;
  }
  out[2 * last] = (3 * sums[last] + sums[last - 1] + kEvenBias) >> kShift;
  if (2 * last + 1 < width) out[2 * last + 1] = (4 * sums[last] + kOddBias) >> kShift;
}

// One chroma plane's output row at full width. Vertically, with chroma at half height, the
// row nearer to output row y weighs 3 and the farther 1 (the picture's edge rows stand in
// for rows beyond it); horizontally the same between columns (widen).
class ChromaRow {
 public:
  explicit ChromaRow(const YCbCrPlanes& p) : p_(p), columns_(chromaSide(p.width, p.chromaShiftX)), sums_(columns_) {}

  const int* row(const uint8_t* plane, int y, std::vector<int>& out) {
    const int rows = chromaSide(p_.height, p_.chromaShiftY);
    const int near = y >> p_.chromaShiftY;
    const uint8_t* a = plane + static_cast<size_t>(near) * p_.chromaStride;
    int* sums = sums_.data();
    if (p_.chromaShiftY) {
      const int far = (y & 1) ? std::min(near + 1, rows - 1) : std::max(near - 1, 0);
      const uint8_t* b = plane + static_cast<size_t>(far) * p_.chromaStride;
      for (int i = 0; i < columns_; ++i) sums[i] = 3 * a[i] + b[i];
      widen<4, 8, 7>(sums, columns_, p_.width, out.data());
    } else if (p_.chromaShiftX) {
      for (int i = 0; i < columns_; ++i) sums[i] = a[i];
      widen<2, 1, 2>(sums, columns_, p_.width, out.data());
    } else {
      for (int i = 0; i < columns_; ++i) out[i] = a[i];  // 4:4:4: whole samples
    }
    return out.data();
  }

 private:
  const YCbCrPlanes& p_;
  int columns_;
  std::vector<int> sums_;
};

// One row's RGBA as packed words (R in the low byte, as the bytes lie in memory on the
// little-endian targets the engine builds for), written in a loop the compiler vectorises.
void convertRow(const uint8_t* __restrict luma, const int* __restrict cb, const int* __restrict cr, int width,
                uint32_t* __restrict out) {
  for (int x = 0; x < width; ++x) {
    const int l = luma[x];
    const int cbx = cb[x] - 128;
    const int crx = cr[x] - 128;
    const int r = std::clamp(l + ((kCrToR * crx + kHalf) >> kScaleBits), 0, 255);
    const int g = std::clamp(l + ((-kCbToG * cbx - kCrToG * crx + kHalf) >> kScaleBits), 0, 255);
    const int b = std::clamp(l + ((kCbToB * cbx + kHalf) >> kScaleBits), 0, 255);
    out[x] = static_cast<uint32_t>(r) | static_cast<uint32_t>(g) << 8 | static_cast<uint32_t>(b) << 16 | 0xff000000u;
  }
}

Status convertRows(const YCbCrPlanes& p, ImageRGBA8& out, int from, int to) {
  ChromaRow chroma(p);
  std::vector<int> cb(p.width), cr(p.width);
  for (int y = from; y < to; ++y) {
    const int* b = chroma.row(p.cb, y, cb);
    const int* r = chroma.row(p.cr, y, cr);
    // Rows start 4-byte aligned (malloc'd, 4 bytes a pixel).
    convertRow(p.y + static_cast<size_t>(y) * p.yStride, b, r, p.width, reinterpret_cast<uint32_t*>(out.row(y)));
  }
  return Status::success();
}

// The frame formats: chroma halved across (4:2:2) or both ways (4:2:0), or not (4:4:4).
Status checkSubsampling(int chromaShiftX, int chromaShiftY) {
  if (chromaShiftX < 0 || chromaShiftX > 1 || chromaShiftY < 0 || chromaShiftY > chromaShiftX) {
    return Status{ErrorCode::kInvalidArgument, "chroma must be 4:4:4, 4:2:2 or 4:2:0"};
  }
  return Status::success();
}

}  // namespace

Result<YCbCrImage> YCbCrImage::create(int width, int height, int chromaShiftX, int chromaShiftY) {
  const Status subsampling = checkSubsampling(chromaShiftX, chromaShiftY);
  if (!subsampling.ok()) return subsampling;
  // 3 bytes a pixel at most (4:4:4): the RGBA check covers the sum.
  const Status shape = checkImageShape(width, height, 4, 1);
  if (!shape.ok()) return shape;
  YCbCrImage image;
  image.width = width;
  image.height = height;
  image.chromaShiftX = chromaShiftX;
  image.chromaShiftY = chromaShiftY;
  if (!image.bytes.resize(image.chromaOffset(2) + static_cast<size_t>(image.chromaWidth()) * image.chromaHeight())) {
    return Status{ErrorCode::kOutOfMemory, "no memory for the photo's planes"};
  }
  return image;
}

size_t YCbCrImage::chromaOffset(int plane) const {
  return static_cast<size_t>(width) * height + (plane - 1) * static_cast<size_t>(chromaWidth()) * chromaHeight();
}

YCbCrPlanes YCbCrImage::planes() const {
  YCbCrPlanes p;
  p.width = width;
  p.height = height;
  p.chromaShiftX = chromaShiftX;
  p.chromaShiftY = chromaShiftY;
  p.y = bytes.data();
  p.cb = bytes.data() + chromaOffset(1);
  p.cr = bytes.data() + chromaOffset(2);
  p.yStride = width;
  p.chromaStride = chromaWidth();
  return p;
}

Status ycbcrToRgba(const YCbCrPlanes& p, ImageRGBA8& out, int threads) {
  if (p.width <= 0 || p.height <= 0 || out.width != p.width || out.height != p.height) {
    return Status{ErrorCode::kInvalidArgument, "the planes and the image differ in size"};
  }
  const Status subsampling = checkSubsampling(p.chromaShiftX, p.chromaShiftY);
  if (!subsampling.ok()) return subsampling;
  if (!p.y || !p.cb || !p.cr || p.yStride < static_cast<size_t>(p.width) ||
      p.chromaStride < static_cast<size_t>(chromaSide(p.width, p.chromaShiftX))) {
    return Status{ErrorCode::kInvalidArgument, "the planes' rows are shorter than the picture"};
  }
  constexpr int kRowsPerStep = 16;
  return runRowRuns(p.height, kRowsPerStep, threads, "no memory for a row of chroma",
                    [&](int from, int to) { return convertRows(p, out, from, to); });
}

}  // namespace defocus
