#include <algorithm>
#include <cmath>
#include <string>

#include "defocus/radial_blur.h"
#include "blur/length_map.h"
#include "core/number_text.h"
#include "blur/radial/radial_cone.h"

namespace defocus {
namespace {

// The four cones around the centre pixel (cx, cy): down and up own the diagonals.
Result<ImagePlanar> blurCones(const ImagePlanar& in, int cx, int cy, RadialLengths lengths) {
  const int w = in.width, h = in.height;
  Result<ImagePlanar> out = ImagePlanar::create(w, h, in.channels);
  if (!out.ok()) return out;
  const ptrdiff_t centre = static_cast<ptrdiff_t>(cy) * w + cx;
  for (int c = 0; c < in.channels; ++c) out.value().plane(c)[centre] = in.plane(c)[centre];
  const RadialCone cones[] = {{centre, w, 1, h - 1 - cy, -cx, w - 1 - cx, 1},
                              {centre, -w, 1, cy, -cx, w - 1 - cx, 1},
                              {centre, 1, w, w - 1 - cx, -cy, h - 1 - cy, 0},
                              {centre, -1, w, cx, -cy, h - 1 - cy, 0}};
  for (const RadialCone& cone : cones) {
    Status s = blurRadialCone(in, cone, lengths, out.value());
    if (!s.ok()) return s;
  }
  return out;
}

// Distance from pixel (cx, cy) to the farthest corner of a width x height image.
double reachFrom(int cx, int cy, int width, int height) {
  return std::max({std::hypot(cx, cy), std::hypot(width - 1 - cx, cy), std::hypot(cx, height - 1 - cy),
                   std::hypot(width - 1 - cx, height - 1 - cy)});
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
                                             const float* lengthMap, float lengthScale, float centerX, float centerY) {
  Status centre = checkRadialCentre(centerX, centerY);
  if (!centre.ok()) return centre;
  const int cx = radialCentrePixel(centerX, fullWidth) - x0, cy = radialCentrePixel(centerY, fullHeight) - y0;
  if (cx < 0 || cy < 0 || cx >= crop.width || cy >= crop.height) return invalidArgument("the crop must hold the zoom centre");
  // Streaks grow with the distance from the centre, reaching `length` at the farthest
  // corner: of the whole image, so in the crop they reach length * its reach / that.
  const double full = reachFrom(radialCentrePixel(centerX, fullWidth), radialCentrePixel(centerY, fullHeight), fullWidth, fullHeight);
  const double here = reachFrom(cx, cy, crop.width, crop.height);
  const float scaled = full >= 1 ? static_cast<float>(lengthScale * here / full) : 0.0f;
  return radialBlurVariable(crop, lengthMap, scaled, crop.width > 1 ? float(cx) / (crop.width - 1) : 0.0f,
                            crop.height > 1 ? float(cy) / (crop.height - 1) : 0.0f);
}

Result<ImagePlanar> radialBlurOfCrop(const ImagePlanar& crop, int x0, int y0, int fullWidth, int fullHeight, float length,
                                     float centerX, float centerY) {
  return radialBlurVariableOfCrop(crop, x0, y0, fullWidth, fullHeight, nullptr, length, centerX, centerY);
}

Result<ImagePlanar> radialBlur(const ImagePlanar& linear, float length, float centerX, float centerY) {
  return radialBlurVariable(linear, nullptr, length, centerX, centerY);
}

Result<ImagePlanar> radialBlurVariable(const ImagePlanar& linear, const float* lengthMap, float lengthScale,
                                       float centerX, float centerY) {
  Status planes = checkPlanes(linear);
  if (!planes.ok()) return planes;
  const std::string limit = std::to_string(static_cast<int>(kMaxDirectionalLength));
  if (!(lengthScale >= 0 && lengthScale <= kMaxDirectionalLength)) {
    return invalidArgument(std::string(lengthMap ? "length scale" : "length") + " must be in 0.." + limit + " pixels");
  }
  Status centre = checkRadialCentre(centerX, centerY);
  if (!centre.ok()) return centre;
  float maxLength = lengthScale;
  if (lengthMap) {
    float top = 0;
    Status map = checkLengthMap(lengthMap, linear.planeSize(), lengthScale, &top);
    if (!map.ok()) return map;
    maxLength = top * lengthScale;
  }
  const int w = linear.width, h = linear.height;
  // Centre on a pixel centre, so that pixel samples itself exactly.
  const int cx = radialCentrePixel(centerX, w), cy = radialCentrePixel(centerY, h);
  const double reach = reachFrom(cx, cy, w, h);
  if (maxLength <= 0 || reach < 1) return copyPlanes(linear);
  return blurCones(linear, cx, cy, RadialLengths{reach, lengthScale, lengthMap, maxLength});
}

}  // namespace defocus
