#include "matte/part_colour.h"

#include <algorithm>
#include <array>

namespace defocus {
namespace {

// A simple opponent space on sRGB codes: brightness at half weight (shading changes it
// within one surface), red-green, yellow-blue.
using Feature = std::array<float, 3>;
constexpr size_t kMaxSamples = 400;
// A colour is the person's when at least kCommon of the person sample lies within kNear
// of it (about 15 codes): a few pixels of another thing in the sample (a beam's edge the
// person model claims) do not make its colour the person's.
constexpr float kNear = 0.06f, kCommon = 0.2f;
Feature featureOf(const ImagePlanar& c, size_t i) {
  const float r = c.plane(0)[i], g = c.plane(1)[i], b = c.plane(2)[i];
  return {0.5f * (r + g + b) / 3, r - g, 0.5f * (r + g) - b};
}

// Each pixel within `reach` of a part (label >= 0) gets the nearest part's label
// (breadth first, 8-connected).
std::vector<int32_t> nearestPart(const std::vector<int32_t>& label, int w, int h, int reach) {
  std::vector<int32_t> owner(label), frontier, next;
  for (size_t i = 0; i < owner.size(); ++i) {
    if (owner[i] >= 0) frontier.push_back(static_cast<int32_t>(i));
  }
  for (int d = 1; d <= reach && !frontier.empty(); ++d) {
    next.clear();
    for (int32_t i : frontier) {
      const int x = i % w, y = i / w;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const int32_t j = yy * w + xx;
          if (owner[j] < 0) owner[j] = owner[i], next.push_back(j);
        }
      }
    }
    frontier.swap(next);
  }
  return owner;
}

}  // namespace

std::vector<PartColour> comparePartColours(const ImagePlanar& colour, const Regions& parts, const std::vector<uint8_t>& person,
                                           const std::vector<uint8_t>& scene, int reach) {
  const int w = colour.width, h = colour.height;
  const size_t n = static_cast<size_t>(w) * h, k = parts.regions.size();
  const std::vector<int32_t> near = nearestPart(parts.label, w, h, reach);
  // Samples of each population per part, kept as pixels (a person is several colours, a
  // dress and skin: a Gaussian over both would also fit the scenery between).
  std::vector<std::vector<Feature>> personSamples(k), sceneSamples(k);
  for (size_t i = 0; i < n; ++i) {
    if (parts.label[i] >= 0 || near[i] < 0) continue;
    if (person[i]) personSamples[near[i]].push_back(featureOf(colour, i));
    else if (scene[i]) sceneSamples[near[i]].push_back(featureOf(colour, i));
  }
  std::vector<std::array<int, 2>> counts(k);
  for (size_t p = 0; p < k; ++p) counts[p] = {static_cast<int>(personSamples[p].size()), static_cast<int>(sceneSamples[p].size())};
  // At most kMaxSamples of each, evenly through the sample: the vote costs part pixels x samples.
  for (auto* sets : {&personSamples, &sceneSamples}) {
    for (std::vector<Feature>& set : *sets) {
      if (set.size() <= kMaxSamples) continue;
      std::vector<Feature> fewer(kMaxSamples);
      for (size_t j = 0; j < kMaxSamples; ++j) fewer[j] = set[j * set.size() / kMaxSamples];
      set.swap(fewer);
    }
  }
  // The share of a sample within kNear of a colour.
  auto share = [](const std::vector<Feature>& set, const Feature& f) {
    int within = 0;
    for (const Feature& g : set) {
      const float d = (f[0] - g[0]) * (f[0] - g[0]) + (f[1] - g[1]) * (f[1] - g[1]) + (f[2] - g[2]) * (f[2] - g[2]);
      within += d <= kNear * kNear;
    }
    return set.empty() ? 0.0f : float(within) / set.size();
  };
  std::vector<PartColour> out(k);
  std::vector<int> votes(k, 0);
  for (size_t i = 0; i < n; ++i) {
    const int p = parts.label[i];
    if (p < 0 || personSamples[p].empty() || sceneSamples[p].empty()) continue;
    const Feature f = featureOf(colour, i);
    const float person = share(personSamples[p], f);
    votes[p] += person >= kCommon && person > share(sceneSamples[p], f);
  }
  for (size_t p = 0; p < k; ++p) {
    out[p].personPixels = counts[p][0], out[p].scenePixels = counts[p][1];
    out[p].personShare = parts.regions[p].area ? float(votes[p]) / parts.regions[p].area : 0;
  }
  return out;
}

}  // namespace defocus
