// Internal: a variable-radius blur as a blend of fixed-radius blurs. The radius map's
// range is covered by layers a constant factor apart (plus radius 0, the sharp image);
// each pixel takes its two nearest layers, weighted linearly in radius, so the blur
// changes continuously with the map (no seams). Layers no pixel needs are skipped.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace defocus {

class RadiusLayers {
 public:
  // Checks the map (values 0..maxRadius); false with a reason when it has bad values.
  bool plan(const float* map, size_t count, float maxRadius, float ratio, std::string* reason);

  size_t size() const { return radii_.size(); }
  float radius(size_t k) const { return radii_[k]; }
  bool used(size_t k) const { return used_[k]; }
  bool constant() const { return radii_.size() == 1; }
  // Weight of layer k for a pixel of radius r: a hat, 1 at radius(k), 0 at the neighbours.
  float weight(size_t k, float r) const;

 private:
  std::vector<float> radii_;
  std::vector<bool> used_;
};

}  // namespace defocus
