#include "blur/gaussian/recursive_gaussian.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>

namespace defocus {
namespace {

using Complex = std::complex<double>;

// Multiplies polynomial p (in z^-1, p[0] constant term) by (1 - root z^-1).
void multiplyByFactor(Complex* p, int degree, Complex root) {
  for (int k = degree + 1; k > 0; --k) p[k] -= root * p[k - 1];
}

}  // namespace

RecursiveGaussian::RecursiveGaussian(double sigma) {
  // Deriche 1993: for x >= 0, exp(-x^2 / 2 sigma^2) ~ sum of two damped cosines
  // (a0 cos(w0 x/s) + a1 sin(w0 x/s)) e^(-b0 x/s) + (c0 cos(w1 x/s) + c1 sin(w1 x/s)) e^(-b1 x/s).
  constexpr double a0 = 1.680, a1 = 3.735, b0 = 1.783, w0 = 0.6318;
  constexpr double c0 = -0.6803, c1 = -0.2598, b1 = 1.723, w1 = 1.997;
  // As four complex exponentials: h(n) = sum_k beta_k p_k^n.
  const Complex pole0 = std::exp(Complex(-b0, w0) / sigma);
  const Complex pole1 = std::exp(Complex(-b1, w1) / sigma);
  const Complex poles[4] = {pole0, std::conj(pole0), pole1, std::conj(pole1)};
  const Complex residues[4] = {Complex(a0, -a1) * 0.5, Complex(a0, a1) * 0.5, Complex(c0, -c1) * 0.5,
                               Complex(c0, c1) * 0.5};

  // Denominator prod (1 - p_k z^-1); causal numerator sum_k beta_k prod_{j != k} (1 - p_j z^-1);
  // anti-causal numerator (in z) sum_k beta_k p_k z prod_{j != k} (1 - p_j z).
  Complex den[5] = {1, 0, 0, 0, 0};
  for (int k = 0; k < 4; ++k) multiplyByFactor(den, k, poles[k]);
  Complex causal[5] = {}, anti[5] = {};
  for (int k = 0; k < 4; ++k) {
    Complex term[5] = {1, 0, 0, 0, 0};
    int degree = 0;
    for (int j = 0; j < 4; ++j) {
      if (j != k) multiplyByFactor(term, degree++, poles[j]);
    }
    for (int i = 0; i < 4; ++i) {
      causal[i] += residues[k] * term[i];
      anti[i + 1] += residues[k] * poles[k] * term[i];
    }
  }
  double denSum = 0, causalSum = 0, antiSum = 0;
  for (int i = 0; i < 5; ++i) denSum += den[i].real();
  for (int i = 0; i < 4; ++i) causalSum += causal[i].real();
  for (int i = 1; i < 5; ++i) antiSum += anti[i].real();
  // Normalise the whole response (causal + anti-causal) to unit DC gain.
  const double gain = (causalSum + antiSum) / denSum;
  for (int i = 0; i < 4; ++i) {
    n_[i] = static_cast<float>(causal[i].real() / gain);
    m_[i] = static_cast<float>(anti[i + 1].real() / gain);
    d_[i] = static_cast<float>(den[i + 1].real());
  }
  causalGain_ = static_cast<float>(causalSum / gain / denSum);
  antiCausalGain_ = static_cast<float>(antiSum / gain / denSum);
}

void RecursiveGaussian::filterColumns(const float* in, float* out, int width, int height, float* scratch) const {
  const size_t w = static_cast<size_t>(width);
  auto row = [&](const float* plane, int y) { return plane + std::clamp(y, 0, height - 1) * w; };
  const float n0 = n_[0], n1 = n_[1], n2 = n_[2], n3 = n_[3];
  const float m1 = m_[0], m2 = m_[1], m3 = m_[2], m4 = m_[3];
  const float d1 = d_[0], d2 = d_[1], d3 = d_[2], d4 = d_[3];

  // Causal pass, top to bottom, straight into out; rows above the image are the steady state.
  float* start = scratch;  // causalGain * first row
  for (size_t x = 0; x < w; ++x) start[x] = causalGain_ * in[x];
  for (int y = 0; y < height; ++y) {
    const float *x0 = row(in, y), *x1 = row(in, y - 1), *x2 = row(in, y - 2), *x3 = row(in, y - 3);
    const float* y1 = y >= 1 ? out + (y - 1) * w : start;
    const float* y2 = y >= 2 ? out + (y - 2) * w : start;
    const float* y3 = y >= 3 ? out + (y - 3) * w : start;
    const float* y4 = y >= 4 ? out + (y - 4) * w : start;
    float* dst = out + y * w;
    for (size_t x = 0; x < w; ++x) {
      dst[x] = n0 * x0[x] + n1 * x1[x] + n2 * x2[x] + n3 * x3[x] - d1 * y1[x] - d2 * y2[x] - d3 * y3[x] -
               d4 * y4[x];
    }
  }

  // Anti-causal pass, bottom to top: z rows live in a ring of 4 scratch rows and are added to out.
  float* ring[4] = {scratch + w, scratch + 2 * w, scratch + 3 * w, scratch + 4 * w};
  const float* last = in + (height - 1) * w;
  for (int k = 0; k < 4; ++k) {
    for (size_t x = 0; x < w; ++x) ring[k][x] = antiCausalGain_ * last[x];
  }
  for (int y = height - 1; y >= 0; --y) {
    const float *x1 = row(in, y + 1), *x2 = row(in, y + 2), *x3 = row(in, y + 3), *x4 = row(in, y + 4);
    // ring[0..3] hold z[y+1..y+4]; the oldest (z[y+4]) is overwritten with z[y].
    float *z1 = ring[0], *z2 = ring[1], *z3 = ring[2], *z4 = ring[3];
    float* dst = out + y * w;
    for (size_t x = 0; x < w; ++x) {
      const float z = m1 * x1[x] + m2 * x2[x] + m3 * x3[x] + m4 * x4[x] - d1 * z1[x] - d2 * z2[x] - d3 * z3[x] -
                      d4 * z4[x];
      z4[x] = z;
      dst[x] += z;
    }
    float* newest = ring[3];
    ring[3] = ring[2];
    ring[2] = ring[1];
    ring[1] = ring[0];
    ring[0] = newest;
  }
}

void RecursiveGaussian::filterRows(const float* in, float* out, int width, int height, float* scratch) const {
  constexpr int kLanes = 4, kPad = 4;
  const float n0 = n_[0], n1 = n_[1], n2 = n_[2], n3 = n_[3];
  const float m1 = m_[0], m2 = m_[1], m3 = m_[2], m4 = m_[3];
  const float d1 = d_[0], d2 = d_[1], d3 = d_[2], d4 = d_[3];
  const size_t w = static_cast<size_t>(width);
  // x: the strip's input interleaved (lane = row), with kPad edge copies on both sides so
  // the loops need no clamping; y: its output.
  float* x = scratch + kPad * kLanes;
  float* y = scratch + (w + 2 * kPad) * kLanes;
  for (int row0 = 0; row0 < height; row0 += kLanes) {
    const int lanes = std::min(kLanes, height - row0);
    for (int l = 0; l < kLanes; ++l) {
      const float* src = in + static_cast<size_t>(row0 + std::min(l, lanes - 1)) * w;
      for (long i = -kPad; i < 0; ++i) x[i * kLanes + l] = src[0];
      for (size_t i = 0; i < w; ++i) x[i * kLanes + l] = src[i];
      for (size_t i = w; i < w + kPad; ++i) x[i * kLanes + l] = src[w - 1];
    }
    // Causal, left to right, from the steady state of the edge value.
    float y1[kLanes], y2[kLanes], y3[kLanes], y4[kLanes];
    for (int l = 0; l < kLanes; ++l) y1[l] = y2[l] = y3[l] = y4[l] = causalGain_ * x[l];
    for (size_t i = 0; i < w; ++i) {
      const float* xi = x + i * kLanes;
      for (int l = 0; l < kLanes; ++l) {
        const float v = n0 * xi[l] + n1 * xi[l - kLanes] + n2 * xi[l - 2 * kLanes] + n3 * xi[l - 3 * kLanes] -
                        d1 * y1[l] - d2 * y2[l] - d3 * y3[l] - d4 * y4[l];
        y4[l] = y3[l], y3[l] = y2[l], y2[l] = y1[l], y1[l] = v;
        y[i * kLanes + l] = v;
      }
    }
    // Anti-causal, right to left, added to the causal part.
    float z1[kLanes], z2[kLanes], z3[kLanes], z4[kLanes];
    for (int l = 0; l < kLanes; ++l) z1[l] = z2[l] = z3[l] = z4[l] = antiCausalGain_ * x[(w - 1) * kLanes + l];
    for (size_t i = w; i-- > 0;) {
      const float* xi = x + i * kLanes;
      for (int l = 0; l < kLanes; ++l) {
        const float v = m1 * xi[l + kLanes] + m2 * xi[l + 2 * kLanes] + m3 * xi[l + 3 * kLanes] +
                        m4 * xi[l + 4 * kLanes] - d1 * z1[l] - d2 * z2[l] - d3 * z3[l] - d4 * z4[l];
        z4[l] = z3[l], z3[l] = z2[l], z2[l] = z1[l], z1[l] = v;
        y[i * kLanes + l] += v;
      }
    }
    for (int l = 0; l < lanes; ++l) {
      float* dst = out + static_cast<size_t>(row0 + l) * w;
      for (size_t i = 0; i < w; ++i) dst[i] = y[i * kLanes + l];
    }
  }
}

}  // namespace defocus
