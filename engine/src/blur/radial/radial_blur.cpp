#include <algorithm>
#include <cmath>
#include <string>

#include "defocus/radial_blur.h"
#include "blur/length_map.h"
#include "core/number_text.h"
#include "blur/radial/radial_cone.h"

namespace defocus {
namespace {

// Where a crop of the photo lies and which of its rows are made: its top left at (x0, y0)
// in a fullWidth x fullHeight photo whose zoom centre is the pixel (cx, cy).
struct CropPlace {
  int x0, y0, fullWidth, fullHeight, cx, cy;
  RowRange rows;
};

// The four cones around the centre pixel (down and up own the diagonals), each over the
// crop's pixels and making those of the rows kept; the centre may lie outside the crop.
Result<ImagePlanar> blurCones(const ImagePlanar& in, const CropPlace& p, RadialLengths lengths) {
  const int w = in.width, h = in.height, from = p.rows.from, to = p.rows.end(h);
  Result<ImagePlanar> out = ImagePlanar::create(w, to - from, in.channels);
  if (!out.ok()) return out;
  // In pixels from the centre: the crop's columns L..R and rows T..B, the rows made OT..OB.
  const int ccx = p.cx - p.x0, ccy = p.cy - p.y0;
  const int L = -ccx, R = w - 1 - ccx, T = -ccy, B = h - 1 - ccy, OT = from - ccy, OB = to - 1 - ccy;
  if (ccx >= 0 && ccx < w && ccy >= from && ccy < to) {  // the centre samples itself
    for (int c = 0; c < in.channels; ++c) {
      out.value().plane(c)[static_cast<size_t>(ccy - from) * w + ccx] = in.plane(c)[static_cast<size_t>(ccy) * w + ccx];
    }
  }
  const ptrdiff_t centre = static_cast<ptrdiff_t>(ccy) * w + ccx, made = static_cast<ptrdiff_t>(ccy - from) * w + ccx;
  const int lastRow = p.fullHeight - 1 - p.cy, lastColumn = p.fullWidth - 1 - p.cx;
  const RadialCone cones[] = {{centre, w, 1, B, L, R, 1, std::max(0, T), lastRow},
                              {centre, -w, 1, -T, L, R, 1, std::max(0, -B), p.cy},
                              {centre, 1, w, R, T, B, 0, std::max(0, L), lastColumn},
                              {centre, -1, w, -L, T, B, 0, std::max(0, -R), p.cx}};
  const RadialMade madeOf[] = {{made, std::max(1, OT), OB, L, R},
                               {made, std::max(1, -OB), -OT, L, R},
                               {made, std::max(1, L), R, OT, OB},
                               {made, std::max(1, -R), -L, OT, OB}};
  for (int k = 0; k < 4; ++k) {
    const RadialCone& cone = cones[k];
    const RadialMade& m = madeOf[k];
    if (cone.vLimit < std::max(1, cone.vFirst) || m.vFrom > m.vTo || m.xMin > m.xMax) continue;
    Status s = blurRadialCone(in, cone, m, lengths, out.value());
    if (!s.ok()) return s;
  }
  return out;
}

// Distance from pixel (cx, cy) to the farthest corner of a width x height image.
double reachFrom(int cx, int cy, int width, int height) {
  return std::max({std::hypot(cx, cy), std::hypot(width - 1 - cx, cy), std::hypot(cx, height - 1 - cy),
                   std::hypot(width - 1 - cx, height - 1 - cy)});
}

// The blur of a crop (the photo itself when it is the whole of it): checked, then the cones.
Result<ImagePlanar> blurCrop(const ImagePlanar& crop, CropPlace p, const float* lengthMap, float lengthScale,
                             float centerX, float centerY) {
  Status planes = checkPlanes(crop);
  if (!planes.ok()) return planes;
  const std::string limit = std::to_string(static_cast<int>(kMaxDirectionalLength));
  if (!(lengthScale >= 0 && lengthScale <= kMaxDirectionalLength)) {
    return invalidArgument(std::string(lengthMap ? "length scale" : "length") + " must be in 0.." + limit + " pixels");
  }
  Status centre = checkRadialCentre(centerX, centerY);
  if (!centre.ok()) return centre;
  const int from = p.rows.from, to = p.rows.end(crop.height);
  if (from < 0 || to > crop.height || from >= to) return invalidArgument("the rows made must be inside the crop");
  if (p.x0 < 0 || p.y0 < 0 || p.x0 + crop.width > p.fullWidth || p.y0 + crop.height > p.fullHeight) {
    return invalidArgument("the crop must lie inside the photo");
  }
  float maxLength = lengthScale;
  if (lengthMap) {
    float top = 0;
    Status map = checkLengthMap(lengthMap, crop.planeSize(), lengthScale, &top);
    if (!map.ok()) return map;
    maxLength = top * lengthScale;
  }
  // Centre on a pixel centre, so that pixel samples itself exactly. Streaks grow with the
  // distance from it, reaching `lengthScale` at the photo's farthest corner.
  p.cx = radialCentrePixel(centerX, p.fullWidth), p.cy = radialCentrePixel(centerY, p.fullHeight);
  const double reach = reachFrom(p.cx, p.cy, p.fullWidth, p.fullHeight);
  if (maxLength <= 0 || reach < 1) return cropPlanes(crop, 0, from, crop.width, to - from);
  return blurCones(crop, p, RadialLengths{reach, lengthScale, lengthMap, maxLength});
}

}  // namespace

Status checkRadialCentre(float centerX, float centerY) {
  // Worded as the option schema words a range (render/option_schema.cpp), naming the JS option.
  const auto outside = [](const char* name, float v) {
    return invalidArgument(std::string(name) + " must be a number in 0..1, got " + numberText(v));
  };
  if (!(centerX >= 0 && centerX <= 1)) return outside("centerX", centerX);
  if (!(centerY >= 0 && centerY <= 1)) return outside("centerY", centerY);
  return Status::success();
}

Result<ImagePlanar> radialBlurVariableOfCrop(const ImagePlanar& crop, int x0, int y0, int fullWidth, int fullHeight,
                                             const float* lengthMap, float lengthScale, float centerX, float centerY,
                                             RowRange rows) {
  return blurCrop(crop, CropPlace{x0, y0, fullWidth, fullHeight, 0, 0, rows}, lengthMap, lengthScale, centerX, centerY);
}

Result<ImagePlanar> radialBlurOfCrop(const ImagePlanar& crop, int x0, int y0, int fullWidth, int fullHeight, float length,
                                     float centerX, float centerY, RowRange rows) {
  return radialBlurVariableOfCrop(crop, x0, y0, fullWidth, fullHeight, nullptr, length, centerX, centerY, rows);
}

Result<ImagePlanar> radialBlur(const ImagePlanar& linear, float length, float centerX, float centerY) {
  return radialBlurVariable(linear, nullptr, length, centerX, centerY);
}

Result<ImagePlanar> radialBlurVariable(const ImagePlanar& linear, const float* lengthMap, float lengthScale,
                                       float centerX, float centerY) {
  return blurCrop(linear, CropPlace{0, 0, linear.width, linear.height, 0, 0, {}}, lengthMap, lengthScale, centerX, centerY);
}

}  // namespace defocus
