// Internal: Deriche's 4th-order recursive approximation of a sampled Gaussian.
#pragma once

namespace defocus {

class RecursiveGaussian {
 public:
  explicit RecursiveGaussian(double sigma);

  // Filters every column of a width x height plane (out != in). The inner loops run
  // along rows, so they vectorise. scratch holds 8 * width floats.
  void filterColumns(const float* in, float* out, int width, int height, float* scratch) const;

  // Filters every row (out != in). Rows go in strips of four, interleaved so the four
  // recursions run side by side in one vector. scratch holds 8 * width + 32 floats.
  void filterRows(const float* in, float* out, int width, int height, float* scratch) const;

 private:
  // causal:      y[i] = n0 x[i] + n1 x[i-1] + n2 x[i-2] + n3 x[i-3] - d1 y[i-1] - ... - d4 y[i-4]
  // anti-causal: z[i] = m1 x[i+1] + ... + m4 x[i+4] - d1 z[i+1] - ... - d4 z[i+4]
  float n_[4], m_[4], d_[4];
  // Steady-state outputs for a constant input of 1: the exact start values for an
  // input that continues with its edge value forever.
  float causalGain_, antiCausalGain_;
};

}  // namespace defocus
