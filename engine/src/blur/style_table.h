// Internal: the blur styles as one table. A style is its folder, blur/<name>/, whose
// <name>_style.cpp defines its row (a BlurStyleEntry: name, option check, fixed- and
// variable-radius entry points, reduced-grid hook, reach), plus one line in
// style_table.cpp's list and its value in BlurStyle (defocus/blur.h). blur.cpp, the
// render's subject layer and its strips reach every style through this table only: no
// switch on the style anywhere else.
#pragma once

#include <cstdint>
#include <string>

#include "defocus/blur.h"
#include "defocus/image.h"

namespace defocus {

// Where the planes being blurred sit in the photo. Default: they are the photo. A crop (the
// render's subject box, a strip of rows) gives its top left pixel and the photo's size:
// styles whose streaks depend on the position (radial, measured from the zoom centre) need
// it (a crop need not hold the zoom centre); the others blur a crop as if it were a whole image.
struct BlurFrame {
  int x0 = 0, y0 = 0;
  int photoWidth = 0, photoHeight = 0;  // 0: the planes are the photo
  // The rows of a variable blur's result the caller keeps (a strip its own rows, not its
  // halo): the result holds only those (height rows.end - rows.from). Every style makes only
  // those (12-16 bytes a halo pixel less than making all and cutting them out).
  RowRange rows;
  // A variable blur's largest radius over the whole photo (0: the map's own): the lens and
  // the Gaussian space their layers down from it (RadiusLayers::plan), so a render's strips
  // blur as its whole image does.
  float radiusTop = 0;
  BlurFrame keepingRows(int from, int to) const {
    BlurFrame f = *this;
    f.rows = {from, to};
    return f;
  }
  BlurFrame withRadiusTop(float top) const {
    BlurFrame f = *this;
    f.radiusTop = top;
    return f;
  }
  static BlurFrame crop(int x0, int y0, int photoWidth, int photoHeight) { return {x0, y0, photoWidth, photoHeight, {}}; }
  bool isCrop() const { return photoWidth > 0; }
};

struct BlurStyleEntry {
  BlurStyle style;
  const char* name;  // as the bindings, the CLI and the page spell it
  // The style's own options (the strength is checked for every style); null: it has none.
  Status (*check)(const BlurOptions& options);
  // One radius in pixels, already checked (0..kMaxLensRadius), as are the options. The
  // result holds frame.rows (or every row, which the caller then cuts).
  Result<ImagePlanar> (*atRadius)(const ImagePlanar& linear, const BlurFrame& frame, double radius,
                                  const BlurOptions& options);
  // A radius per pixel (radiusMap: width x height pixels, not null; the style checks its
  // values); needed: see blurLinearVariable. A constant map should give atRadius's result.
  Result<ImagePlanar> (*variable)(const ImagePlanar& linear, const BlurFrame& frame, const float* radiusMap,
                                  const BlurOptions& options, const uint8_t* needed);
  // blurImage's fast path for big radii: RGBA8 straight onto a reduced grid and back, fused
  // with the colour conversion, no full-resolution float planes. False: not at this radius
  // (the generic path runs). Null: never.
  bool (*onReducedGrid)(const ImageRGBA8& image, double radius, const BlurOptions& options, int channels,
                        Result<ImageRGBA8>* out);
  // How far the blur reads around a pixel, in radii (the strips' halo).
  double reach;
  // Results smooth enough for the fast sRGB encoder (within one code of exact).
  bool smoothResult;
  // How far the blur reads above and below a pixel, in radii, when that depends on the
  // options (motion: a streak's vertical extent); null: reach.
  double (*rowReach)(const BlurOptions& options);
};

// The row of a style; null for a value or name not in the table.
const BlurStyleEntry* findBlurStyle(BlurStyle style);
const BlurStyleEntry* findBlurStyle(const std::string& name);

// blurLinearAtRadius / blurLinearVariable of planes that sit at `frame` in the photo.
Result<ImagePlanar> blurLinearAtRadiusInFrame(const ImagePlanar& linear, const BlurFrame& frame, double radius,
                                              const BlurOptions& options);
Result<ImagePlanar> blurLinearVariableInFrame(const ImagePlanar& linear, const BlurFrame& frame, const float* radiusMap,
                                              const BlurOptions& options, const uint8_t* needed = nullptr);

// How far the style reads above and below a pixel, in radii (the strips' halo): its
// rowReach, else its reach (2, the widest, for a style not in the table).
double blurReach(const BlurOptions& options);

}  // namespace defocus
