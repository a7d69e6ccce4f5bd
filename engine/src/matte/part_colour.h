// Whether an area the subject finder must decide whole (an object region touching the
// people that the person model does not see) looks like the person it touches or like the
// scenery around it: a dress's hem has the dress's colour, a swing's beam or a tree trunk
// its own, unlike the person next to it.
#pragma once

#include <cstdint>
#include <vector>

#include "defocus/image.h"
#include "matte/regions.h"

namespace defocus {

struct PartColour {
  float personShare = 0;   // share of the part's pixels that vote "person"
  int personPixels = 0;    // person pixels within reach of the part (the sample)
  int scenePixels = 0;     // scenery pixels within reach of the part
};

// colour: 3 planes (sRGB codes 0..1) of the parts' grid. parts: labels on that grid.
// person, scene: masks of the pixels that sample the person and the scenery. Each part's
// pixels vote "person" when their colour (opponent space) is common in the person pixels
// within `reach` of the part (nearest part first): a fifth of them within 0.06, and a larger
// share than of the scenery pixels there.
std::vector<PartColour> comparePartColours(const ImagePlanar& colour, const Regions& parts, const std::vector<uint8_t>& person,
                                           const std::vector<uint8_t>& scene, int reach);

}  // namespace defocus
