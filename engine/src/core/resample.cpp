#include "defocus/resample.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cmath>
#include <vector>

#include "core/row_runs.h"
#include "defocus/color.h"

namespace defocus {
namespace {

// For one axis: destination index i reads source[first[i] .. first[i] + count[i]) with
// weights[offset[i] ..]. Weights of each destination pixel sum to one.
struct AxisWeights {
  std::vector<int> first, count, offset;
  std::vector<float> weights;
};

// Area average: destination pixel i covers source interval [i * s, (i + 1) * s).
AxisWeights areaWeights(int from, int to) {
  AxisWeights w;
  const double scale = static_cast<double>(from) / to;
  for (int i = 0; i < to; ++i) {
    const double lo = i * scale;
    const double hi = (i + 1) * scale;
    const int j0 = static_cast<int>(std::floor(lo));
    const int j1 = std::min(from, static_cast<int>(std::ceil(hi)));
    w.first.push_back(j0);
    w.count.push_back(j1 - j0);
    w.offset.push_back(static_cast<int>(w.weights.size()));
    for (int j = j0; j < j1; ++j) {
      const double overlap = std::min<double>(hi, j + 1) - std::max<double>(lo, j);
      w.weights.push_back(static_cast<float>(overlap / scale));
    }
  }
  return w;
}

double mitchell(double x) {
  constexpr double B = 1.0 / 3.0, C = 1.0 / 3.0;
  x = std::fabs(x);
  if (x < 1) return ((12 - 9 * B - 6 * C) * x * x * x + (-18 + 12 * B + 6 * C) * x * x + (6 - 2 * B)) / 6;
  if (x < 2) return ((-B - 6 * C) * x * x * x + (6 * B + 30 * C) * x * x + (-12 * B - 48 * C) * x + (8 * B + 24 * C)) / 6;
  return 0;
}

// Interpolation: destination centre i + 0.5 maps to source coordinate (i + 0.5) * s - 0.5;
// taps beyond the border are clamped to the edge pixel (weights folded onto it).
AxisWeights interpolationWeights(int from, int to, UpscaleKernel kernel) {
  AxisWeights w;
  const double scale = static_cast<double>(from) / to;
  const int radius = kernel == UpscaleKernel::kBilinear ? 1 : 2;
  std::vector<double> taps;
  for (int i = 0; i < to; ++i) {
    const double x = (i + 0.5) * scale - 0.5;
    const int base = static_cast<int>(std::floor(x));
    const int lo = std::max(0, base - radius + 1);
    const int hi = std::min(from - 1, base + radius);
    taps.assign(hi - lo + 1, 0.0);
    double sum = 0;
    for (int j = base - radius + 1; j <= base + radius; ++j) {
      const double d = x - j;
      const double k = kernel == UpscaleKernel::kBilinear ? std::max(0.0, 1 - std::fabs(d)) : mitchell(d);
      taps[std::clamp(j, lo, hi) - lo] += k;
      sum += k;
    }
    w.first.push_back(lo);
    w.count.push_back(hi - lo + 1);
    w.offset.push_back(static_cast<int>(w.weights.size()));
    for (double t : taps) w.weights.push_back(static_cast<float>(t / sum));
  }
  return w;
}

AxisWeights axisWeights(int from, int to, UpscaleKernel kernel) {
  // An unchanged axis is copied: Mitchell is not interpolating and would soften it.
  if (to == from) return areaWeights(from, to);
  return to < from ? areaWeights(from, to) : interpolationWeights(from, to, kernel);
}

void resampleRows(const float* src, int srcW, float* dst, int dstW, int rows, const AxisWeights& w) {
  for (int y = 0; y < rows; ++y) {
    const float* s = src + static_cast<size_t>(y) * srcW;
    float* d = dst + static_cast<size_t>(y) * dstW;
    for (int x = 0; x < dstW; ++x) {
      const float* k = &w.weights[w.offset[x]];
      const float* in = s + w.first[x];
      float acc = 0;
      for (int t = 0; t < w.count[x]; ++t) acc += k[t] * in[t];
      d[x] = acc;
    }
  }
}

// Column pass as weighted sums of whole rows: contiguous, vectorisable inner loop.
void resampleColumns(const float* src, float* dst, int width, int dstH, const AxisWeights& w) {
  for (int y = 0; y < dstH; ++y) {
    float* d = dst + static_cast<size_t>(y) * width;
    std::fill(d, d + width, 0.0f);
    for (int t = 0; t < w.count[y]; ++t) {
      const float k = w.weights[w.offset[y] + t];
      const float* s = src + static_cast<size_t>(w.first[y] + t) * width;
      for (int x = 0; x < width; ++x) d[x] += k * s[x];
    }
  }
}

}  // namespace

Result<ImagePlanar> resize(const ImagePlanar& source, int width, int height, UpscaleKernel upscale) {
  Status shape = checkImageShape(width, height, source.channels, sizeof(float));
  if (!shape.ok()) return shape;
  Status planes = checkPlanes(source);
  if (!planes.ok()) return planes;
  Result<ImagePlanar> rows = ImagePlanar::create(width, source.height, 1);
  Result<ImagePlanar> out = ImagePlanar::create(width, height, source.channels);
  if (!rows.ok()) return rows;
  if (!out.ok()) return out;
  const AxisWeights wx = axisWeights(source.width, width, upscale);
  const AxisWeights wy = axisWeights(source.height, height, upscale);
  for (int c = 0; c < source.channels; ++c) {
    resampleRows(source.plane(c), source.width, rows.value().plane(0), width, source.height, wx);
    resampleColumns(rows.value().plane(0), out.value().plane(c), width, height, wy);
  }
  return out;
}

Result<ImagePlanar> resizeAlphaRows(const AlphaRows& matte, int width, int height, UpscaleKernel upscale) {
  Status shape = checkImageShape(width, height, 1, sizeof(float));
  if (!shape.ok()) return shape;
  if (matte.width() < 1 || matte.height() < 1) return invalidArgument("matte is empty");
  Result<ImagePlanar> rows = ImagePlanar::create(width, matte.height(), 1);
  Result<ImagePlanar> out = ImagePlanar::create(width, height, 1);
  Buffer<float> row;
  if (!rows.ok()) return rows;
  if (!out.ok()) return out;
  if (!row.resize(matte.width())) return Status{ErrorCode::kOutOfMemory, "out of memory resizing"};
  const AxisWeights wx = axisWeights(matte.width(), width, upscale);
  for (int y = 0; y < matte.height(); ++y) {
    resampleRows(matte.row(y, row.data()), matte.width(), rows.value().plane(0) + static_cast<size_t>(y) * width, width,
                 1, wx);
  }
  resampleColumns(rows.value().plane(0), out.value().plane(0), width, height, axisWeights(matte.height(), height, upscale));
  return out;
}

Result<ImagePlanar> resizeBytesToPlanes(const ImageRGBA8& image, int width, int height, const float* table,
                                        int threads) {
  Status shape = checkImageShape(width, height, 3, sizeof(float));
  if (!shape.ok()) return shape;
  Result<ImagePlanar> rows = ImagePlanar::create(width, image.height, 3);
  Result<ImagePlanar> out = ImagePlanar::create(width, height, 3);
  if (!rows.ok()) return rows;
  if (!out.ok()) return out;
  const AxisWeights wx = axisWeights(image.width, width, UpscaleKernel::kMitchell);
  const AxisWeights wy = axisWeights(image.height, height, UpscaleKernel::kMitchell);
  // The photo's rows shared among threads, each read once for its three channels (not once
  // a channel): the lookups are the cost, and a row's bytes are then in cache.
  const int w = image.width;
  Status along = runRowRuns(image.height, 16, threads, "out of memory resizing", [&](int from, int to) {
    Buffer<float> row;
    if (!row.resize(3 * static_cast<size_t>(w))) return Status{ErrorCode::kOutOfMemory, "out of memory resizing"};
    for (int y = from; y < to; ++y) {
      rgba8RowThroughTable(image.row(y), w, table, row.data(), row.data() + w, row.data() + 2 * static_cast<size_t>(w));
      for (int c = 0; c < 3; ++c) {
        resampleRows(row.data() + static_cast<size_t>(c) * w, w,
                     rows.value().plane(c) + static_cast<size_t>(y) * width, width, 1, wx);
      }
    }
    return Status::success();
  });
  if (!along.ok()) return along;
  for (int c = 0; c < 3; ++c) resampleColumns(rows.value().plane(c), out.value().plane(c), width, height, wy);
  return out;
}

namespace {

// Mean of each f x f block of the photo (edge blocks over the pixels they have), rounded
// to bytes: rounding adds noise of variance (1/255)^2 / 12, a thousandth of epsilon.
Result<ImageRGBA8> blockMeans(const ImageRGBA8& photo, int f, int threads) {
  const int w = (photo.width + f - 1) / f, h = (photo.height + f - 1) / f;
  Result<ImageRGBA8> out = ImageRGBA8::create(w, h);
  if (!out.ok()) return out;
  // Block rows shared among threads (each a sum row of its own): the photo's one full read.
  // Each block row first adds its photo rows byte by byte down the columns (one contiguous
  // add per row, which vectorises; f rows of 8-bit values fit 16 bits up to f = 257), then
  // sums each block's columns: the same integer sums as block by block, in fewer steps.
  const int rowBytes = 4 * photo.width;
  auto blockRows = [&](auto zero) {
    using Sum = decltype(zero);
    return runRowRuns(h, 8, threads, "out of memory resizing", [&](int from, int to) {
      std::vector<Sum> columns(static_cast<size_t>(rowBytes));
      for (int by = from; by < to; ++by) {
        std::fill(columns.begin(), columns.end(), Sum{0});
        const int y0 = by * f, y1 = std::min(photo.height, y0 + f);
        for (int y = y0; y < y1; ++y) {
          const uint8_t* __restrict px = photo.row(y);
          Sum* __restrict c = columns.data();
          for (int i = 0; i < rowBytes; ++i) c[i] = static_cast<Sum>(c[i] + px[i]);
        }
        uint8_t* dst = out.value().row(by);
        for (int bx = 0; bx < w; ++bx) {
          const int x0 = bx * f, x1 = std::min(photo.width, x0 + f);
          uint32_t r = 0, g = 0, b = 0;
          for (int x = x0; x < x1; ++x) r += columns[4 * x], g += columns[4 * x + 1], b += columns[4 * x + 2];
          const uint32_t count = static_cast<uint32_t>((x1 - x0) * (y1 - y0));
          dst[4 * bx] = static_cast<uint8_t>((r + count / 2) / count);
          dst[4 * bx + 1] = static_cast<uint8_t>((g + count / 2) / count);
          dst[4 * bx + 2] = static_cast<uint8_t>((b + count / 2) / count);
          dst[4 * bx + 3] = 255;
        }
      }
      return Status::success();
    });
  };
  const Status ok = f <= 257 ? blockRows(uint16_t{0}) : blockRows(uint32_t{0});
  if (!ok.ok()) return ok;
  return out;
}

const float* codeTable() {
  static const auto codes = [] {
    std::array<float, 256> t{};
    for (int i = 0; i < 256; ++i) t[i] = i * (1.0f / 255.0f);
    return t;
  }();
  return codes.data();
}

}  // namespace

Result<ImagePlanar> shrinkCodesToPlanes(const ImageRGBA8& image, int width, int height, int threads) {
  if (width < 1 || height < 1) return invalidArgument("resize target must be at least 1x1");
  const int f = std::min(image.width / width, image.height / height) / 2;
  if (f < 2) return resizeBytesToPlanes(image, width, height, codeTable());
  Result<ImageRGBA8> blocks = blockMeans(image, f, threads);
  if (!blocks.ok()) return blocks.status();
  return resizeBytesToPlanes(blocks.value(), width, height, codeTable());
}

struct RowResizer::Columns {
  AxisWeights weights;
};

Result<RowResizer> RowResizer::create(const ImagePlanar& source, int width, int height, UpscaleKernel upscale) {
  Status shape = checkImageShape(width, height, 1, sizeof(float));
  if (!shape.ok()) return shape;
  Status planes = checkPlanes(source);
  if (!planes.ok()) return planes;
  RowResizer r;
  Result<ImagePlanar> rows = ImagePlanar::create(width, source.height, 1);
  if (!rows.ok()) return rows.status();
  r.width_ = width, r.height_ = height;
  r.alongX_ = rows.take();
  resampleRows(source.plane(0), source.width, r.alongX_.plane(0), width, source.height,
               axisWeights(source.width, width, upscale));
  r.columns_ = std::make_shared<Columns>(Columns{axisWeights(source.height, height, upscale)});
  return r;
}

void RowResizer::rows(int y0, int y1, float* out) const {
  const AxisWeights& w = columns_->weights;
  for (int y = y0; y < y1; ++y) {
    float* d = out + static_cast<size_t>(y - y0) * width_;
    std::fill(d, d + width_, 0.0f);
    for (int t = 0; t < w.count[y]; ++t) {
      const float k = w.weights[w.offset[y] + t];
      const float* s = alongX_.plane(0) + static_cast<size_t>(w.first[y] + t) * width_;
      for (int x = 0; x < width_; ++x) d[x] += k * s[x];
    }
  }
}

namespace {

// The resized premultiplied linear planes back to sRGB codes. Mitchell may overshoot
// slightly; alpha must stay a fraction before unpremultiplying.
Result<ImageRGBA8> premultipliedLinearToRgba8(ImagePlanar& r) {
  float* a = r.plane(3);
  for (size_t i = 0; i < r.planeSize(); ++i) a[i] = std::clamp(a[i], 0.0f, 1.0f);
  unpremultiplyAlpha(r);
  return linearToRgba8(r);
}

}  // namespace

Result<ImageRGBA8> resizeRgba8(const ImageRGBA8& source, int width, int height) {
  Result<ImagePlanar> linear = rgba8ToLinear(source);
  if (!linear.ok()) return linear.status();
  premultiplyAlpha(linear.value());
  Result<ImagePlanar> resized = resize(linear.value(), width, height);
  if (!resized.ok()) return resized.status();
  return premultipliedLinearToRgba8(resized.value());
}

namespace {

// Mean of each f x f block in linear light, colour premultiplied by alpha (planes r, g, b,
// a), a row of blocks at a time: a large shrink reads the photo once, without the
// full-size float planes (16 bytes a pixel) resizeRgba8 makes.
Result<ImagePlanar> linearBlockMeans(const ImageRGBA8& photo, int f, int threads) {
  const int w = (photo.width + f - 1) / f, h = (photo.height + f - 1) / f;
  Result<ImagePlanar> out = ImagePlanar::create(w, h, 4);
  if (!out.ok()) return out;
  const float* toLinear = srgb8ToLinearTable();
  // Block rows shared among threads, each with a sum row of its own.
  Status ok = runRowRuns(h, 8, threads, "out of memory resizing", [&](int from, int to) {
    std::vector<float> sum(4 * static_cast<size_t>(w));
    for (int by = from; by < to; ++by) {
      std::fill(sum.begin(), sum.end(), 0.0f);
      const int y0 = by * f, y1 = std::min(photo.height, y0 + f);
      for (int y = y0; y < y1; ++y) {
        const uint8_t* px = photo.row(y);
        for (int bx = 0; bx < w; ++bx) {
          float r = 0, g = 0, b = 0, a = 0;
          for (int x = bx * f, x1 = std::min(photo.width, x + f); x < x1; ++x) {
            const float alpha = px[4 * x + 3] * (1.0f / 255.0f);
            r += toLinear[px[4 * x]] * alpha, g += toLinear[px[4 * x + 1]] * alpha, b += toLinear[px[4 * x + 2]] * alpha;
            a += alpha;
          }
          float* s = &sum[4 * static_cast<size_t>(bx)];
          s[0] += r, s[1] += g, s[2] += b, s[3] += a;
        }
      }
      ImagePlanar& o = out.value();
      const size_t row = static_cast<size_t>(by) * w;
      for (int bx = 0; bx < w; ++bx) {
        const float inverse = 1.0f / static_cast<float>((std::min(photo.width, (bx + 1) * f) - bx * f) * (y1 - y0));
        for (int c = 0; c < 4; ++c) o.plane(c)[row + bx] = sum[4 * static_cast<size_t>(bx) + c] * inverse;
      }
    }
    return Status::success();
  });
  if (!ok.ok()) return ok;
  return out;
}

}  // namespace

Result<ImageRGBA8> shrinkRgba8(const ImageRGBA8& source, int width, int height, int threads) {
  if (width < 1 || height < 1) return invalidArgument("resize target must be at least 1x1");
  const int f = std::min(source.width / width, source.height / height) / 2;
  if (f < 2) return resizeRgba8(source, width, height);
  Result<ImagePlanar> blocks = linearBlockMeans(source, f, threads);
  if (!blocks.ok()) return blocks.status();
  Result<ImagePlanar> resized = resize(blocks.value(), width, height);
  if (!resized.ok()) return resized.status();
  return premultipliedLinearToRgba8(resized.value());
}

}  // namespace defocus
