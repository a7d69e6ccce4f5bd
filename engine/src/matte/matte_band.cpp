#include "matte/matte_band.h"

#include <algorithm>
#include <cmath>

#include "core/box_filter.h"

namespace defocus {
namespace {

// Trimap thresholds on the guided alpha: sure background below kLow, sure subject above
// kHigh, the rest uncertain.
constexpr float kLow = 0.04f, kHigh = 0.96f;
// Colour contrast |F - B|^2 at which the colour solution gets half the say (a 0.1 step in
// each channel): below it JPEG noise and texture would move alpha more than the edge does.
constexpr float kContrast = 0.03f;
// Squared distance of the pixel's colour from the F-B line at which the solution gets half
// its say: a colour that is no mix of the two (a third object, a wrong F or B estimate)
// says nothing about alpha.
constexpr float kOffLine = 0.002f;
// Weight of the local colour variance of F and B against the contrast |F - B|^2: on rocky
// ground or leaves a colour step says little about where the subject ends.
constexpr float kTexture = 16.0f;
// Share of undecided pixels (0.25..0.75) around a pixel above which the band has faded out.
constexpr float kWideDoubt = 0.7f;

}  // namespace

Bilinear::Bilinear(int from, int to) : first(to), frac(to), start(from + 1, to) {
  for (int i = to - 1; i >= 0; --i) {
    const double u = std::clamp((i + 0.5) * from / to - 0.5, 0.0, from - 1.0);
    first[i] = std::min(static_cast<int>(u), std::max(0, from - 2));
    frac[i] = static_cast<float>(u - first[i]);
  }
  // first[] never decreases: output i reads source first[i] from start[first[i]] on.
  for (int i = to - 1; i >= 0; --i) start[first[i]] = i;
  for (int s = from - 1; s >= 0; --s) start[s] = std::min(start[s], start[s + 1]);
}

namespace {

// Push-pull fill (Gortler et al. 1996): the colours of the `sure` pixels spread into the rest
// of the grid, each pixel taking the colour of the nearest sure ground at the scale where
// some is found. 2x2 means pull the sure colours up a pyramid; going back down, a pixel keeps
// its own sure colour in the share `w` of it that is sure and takes the coarser level's
// (bilinear) for the rest. Writes the colour (3 planes) and the mean squared colour |I|^2
// (for the texture's variance) into out[0..3]; false when nothing is sure.
struct Level {
  int w, h;
  std::vector<float> rgbw;  // per pixel: r, g, b, |rgb|^2 (means over the sure part), share of sure
};

constexpr int kV = 4, kS = 5;  // values per pixel, stride (values + share)

bool pushPull(const ImagePlanar& guide, const float* sure, float* out[kV]) {
  std::vector<Level> levels;
  Level base{guide.width, guide.height, std::vector<float>(kS * guide.planeSize())};
  bool any = false;
  for (size_t i = 0; i < guide.planeSize(); ++i) {
    float sq = 0;
    for (int c = 0; c < 3; ++c) base.rgbw[kS * i + c] = guide.plane(c)[i], sq += guide.plane(c)[i] * guide.plane(c)[i];
    base.rgbw[kS * i + 3] = sq;
    base.rgbw[kS * i + 4] = sure[i];
    any |= sure[i] > 0;
  }
  if (!any) return false;
  levels.push_back(std::move(base));
  while (levels.back().w > 1 || levels.back().h > 1) {
    const Level& f = levels.back();
    Level c{(f.w + 1) / 2, (f.h + 1) / 2, {}};
    c.rgbw.assign(kS * static_cast<size_t>(c.w) * c.h, 0.0f);
    for (int y = 0; y < c.h; ++y) {
      for (int x = 0; x < c.w; ++x) {
        float acc[kS] = {0, 0, 0, 0, 0};
        int count = 0;
        for (int dy = 0; dy < 2; ++dy) {
          for (int dx = 0; dx < 2; ++dx) {
            const int fx = 2 * x + dx, fy = 2 * y + dy;
            if (fx >= f.w || fy >= f.h) continue;
            const float* p = &f.rgbw[kS * (static_cast<size_t>(fy) * f.w + fx)];
            for (int k = 0; k < kV; ++k) acc[k] += p[k] * p[kV];
            acc[kV] += p[kV];
            ++count;
          }
        }
        float* q = &c.rgbw[kS * (static_cast<size_t>(y) * c.w + x)];
        for (int k = 0; k < kV; ++k) q[k] = acc[kV] > 0 ? acc[k] / acc[kV] : 0;
        q[kV] = acc[kV] / count;
      }
    }
    levels.push_back(std::move(c));
  }
  // Down: every level becomes fully filled (share 1), from the top.
  levels.back().rgbw[kV] = 1;
  for (int l = static_cast<int>(levels.size()) - 2; l >= 0; --l) {
    Level& f = levels[l];
    const Level& c = levels[l + 1];
    const Bilinear bx(c.w, f.w), by(c.h, f.h);
    for (int y = 0; y < f.h; ++y) {
      const int y0 = by.first[y], y1 = std::min(y0 + 1, c.h - 1);
      for (int x = 0; x < f.w; ++x) {
        const int x0 = bx.first[x], x1 = std::min(x0 + 1, c.w - 1);
        float* p = &f.rgbw[kS * (static_cast<size_t>(y) * f.w + x)];
        const float own = p[kV];
        for (int k = 0; k < kV; ++k) {
          auto at = [&](int xx, int yy) { return c.rgbw[kS * (static_cast<size_t>(yy) * c.w + xx) + k]; };
          const float top = at(x0, y0) + bx.frac[x] * (at(x1, y0) - at(x0, y0));
          const float bottom = at(x0, y1) + bx.frac[x] * (at(x1, y1) - at(x0, y1));
          const float coarse = top + by.frac[y] * (bottom - top);
          p[k] = own * p[k] + (1 - own) * coarse;
        }
        p[kV] = 1;
      }
    }
  }
  const Level& f = levels.front();
  for (size_t i = 0; i < guide.planeSize(); ++i) {
    for (int c = 0; c < kV; ++c) out[c][i] = f.rgbw[kS * i + c];
  }
  return true;
}

}  // namespace

Result<ImagePlanar> bandColourModel(const ImagePlanar& guide, const ImagePlanar& alpha, double modelPixel) {
  const int w = guide.width, h = guide.height;
  const size_t n = guide.planeSize();
  // Band: within one model pixel of an uncertain pixel. It fades out where the guided alpha
  // stays undecided (0.25..0.75) over much of the two model pixels around: an outline the
  // model drew but blurred has a narrow middle; a wide undecided area is the model's doubt
  // (a shadow, a fence, a second object half-taken), and there the colours would only
  // sharpen its mistake into a ragged outline.
  const int grow = std::max(1, static_cast<int>(std::lround(modelPixel)));
  const int look = std::max(2, static_cast<int>(std::lround(2 * modelPixel)));
  Result<ImagePlanar> model = ImagePlanar::create(w, h, 8);
  Result<ImagePlanar> tmp = ImagePlanar::create(w, h, 4);
  if (!model.ok() || !tmp.ok()) return outOfMemory("matting the edge band");
  ImagePlanar& m = model.value();
  float* uncertain = tmp.value().plane(0);
  float* sure = tmp.value().plane(1);
  float* middle = tmp.value().plane(2);
  float* weight = m.plane(6);
  const float* a = alpha.plane(0);
  for (size_t i = 0; i < n; ++i) uncertain[i] = a[i] > kLow && a[i] < kHigh;
  BoxMean growBox(w, h, grow), lookBox(w, h, look);
  if (!growBox.allocate() || !lookBox.allocate()) return outOfMemory("matting the edge band");
  growBox.run(uncertain, weight);
  for (size_t i = 0; i < n; ++i) uncertain[i] = a[i] > 0.25f && a[i] < 0.75f;
  lookBox.run(uncertain, middle);
  for (size_t i = 0; i < n; ++i) {
    weight[i] = std::min(1.0f, 4.0f * weight[i]) * std::clamp((kWideDoubt - middle[i]) / 0.25f, 0.0f, 1.0f);
  }
  // Sure ground, one working pixel in from the uncertain zone (its edge pixels are mixed).
  for (int side = 0; side < 2; ++side) {  // 0: subject colour F, 1: background colour B
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        bool ok = true;
        for (int dy = -1; dy <= 1 && ok; ++dy) {
          for (int dx = -1; dx <= 1 && ok; ++dx) {
            const float v = a[static_cast<size_t>(std::clamp(y + dy, 0, h - 1)) * w + std::clamp(x + dx, 0, w - 1)];
            ok = side == 0 ? v >= kHigh : v <= kLow;
          }
        }
        sure[static_cast<size_t>(y) * w + x] = ok;
      }
    }
    float* squares = tmp.value().plane(3);
    float* out[kV] = {m.plane(3 * side), m.plane(3 * side + 1), m.plane(3 * side + 2), squares};
    if (!pushPull(guide, sure, out)) {  // no sure ground of this side at all: no band
      std::fill(weight, weight + n, 0.0f);
      for (int c = 0; c < kV; ++c) std::fill(out[c], out[c] + n, 0.0f);
    }
    // Texture: the variance of the colours the fill drew from, summed over F and B.
    float* texture = m.plane(7);
    for (size_t i = 0; i < n; ++i) {
      float mean2 = 0;
      for (int c = 0; c < 3; ++c) mean2 += out[c][i] * out[c][i];
      const float var = std::max(0.0f, squares[i] - mean2);
      texture[i] = side == 0 ? var : texture[i] + var;
    }
  }
  return model;
}

namespace {

// One band pixel x of a full-resolution row: alpha[x] moved towards its colour solution.
void bandPixel(const uint8_t* rgba, const ImagePlanar& model, size_t o0, size_t o1, float fy, const Bilinear& bx,
               int x, float* alpha) {
  const int ww = model.width;
  const int i0 = bx.first[x], i1 = std::min(i0 + 1, ww - 1);
  const float fx = bx.frac[x];
  auto sample = [&](const float* p) {
    const float top = p[o0 + i0] + fx * (p[o0 + i1] - p[o0 + i0]);
    const float bottom = p[o1 + i0] + fx * (p[o1 + i1] - p[o1 + i0]);
    return top + fy * (bottom - top);
  };
  const float band = sample(model.plane(6));
  float dot = 0, dd = 0, f[3], b[3], v[3];
  for (int c = 0; c < 3; ++c) {
    f[c] = sample(model.plane(c)), b[c] = sample(model.plane(3 + c));
    v[c] = rgba[4 * x + c] * (1.0f / 255) - b[c];
    const float d = f[c] - b[c];
    dot += v[c] * d;
    dd += d * d;
  }
  if (dd <= 0) return;
  const float solved = std::clamp(dot / dd, 0.0f, 1.0f);
  float off = 0;
  for (int c = 0; c < 3; ++c) {
    const float e = v[c] - solved * (f[c] - b[c]);
    off += e * e;
  }
  const float texture = sample(model.plane(7));
  const float say = band * dd / (dd + kContrast + kTexture * texture) * kOffLine / (kOffLine + off);
  // The colour may move alpha at most as far as the guided alpha's own doubt: into
  // [2a - 1, 2a]. Across 0.5 only where the guided filter is itself unsure (a in
  // 0.25..0.75); near 0 or 1 it refines strands without lighting specks of a textured
  // background that happens to share the subject's colour (stones beside a white cow).
  const float bounded = std::clamp(solved, 2 * alpha[x] - 1, 2 * alpha[x]);
  // Crossing 0.5 (turning subject into background or back) takes a clear colour verdict.
  const bool crosses = (bounded - 0.5f) * (alpha[x] - 0.5f) < 0;
  alpha[x] += (crosses ? say * say : say) * (bounded - alpha[x]);
}

}  // namespace

void matteBandRow(const uint8_t* rgba, const ImagePlanar& model, int r0, int r1, float fy, const Bilinear& bx,
                  float* alpha) {
  const int ww = model.width;
  const size_t o0 = static_cast<size_t>(r0) * ww, o1 = static_cast<size_t>(r1) * ww;
  const float* wt = model.plane(6);
  // Most of a photo is off the band: one look at the four weights of a working cell
  // decides for all the photo pixels that read it (about 5 per working column at 12 MP).
  for (int cell = 0; cell < ww; ++cell) {
    const int c1 = std::min(cell + 1, ww - 1);
    if (wt[o0 + cell] == 0 && wt[o0 + c1] == 0 && wt[o1 + cell] == 0 && wt[o1 + c1] == 0) continue;
    for (int x = bx.start[cell]; x < bx.start[cell + 1]; ++x) bandPixel(rgba, model, o0, o1, fy, bx, x, alpha);
  }
}

}  // namespace defocus
