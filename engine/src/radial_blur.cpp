#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "defocus/motion_blur.h"
#include "radial_cone.h"

namespace defocus {
namespace {

Status invalid(const std::string& reason) { return {ErrorCode::kInvalidArgument, reason}; }

Status checkCentre(float centreX, float centreY) {
  if (!(centreX >= 0 && centreX <= 1)) return invalid("centre x must be a fraction of the width in 0..1");
  if (!(centreY >= 0 && centreY <= 1)) return invalid("centre y must be a fraction of the height in 0..1");
  return Status::success();
}

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

}  // namespace

Result<ImagePlanar> radialBlur(const ImagePlanar& linear, float length, float centreX, float centreY) {
  return radialBlurVariable(linear, nullptr, length, centreX, centreY);
}

Result<ImagePlanar> radialBlurVariable(const ImagePlanar& linear, const float* lengthMap, float lengthScale,
                                       float centreX, float centreY) {
  Status planes = checkPlanes(linear);
  if (!planes.ok()) return planes;
  const std::string limit = std::to_string(static_cast<int>(kMaxDirectionalLength));
  if (!(lengthScale >= 0 && lengthScale <= kMaxDirectionalLength)) {
    return invalid(std::string(lengthMap ? "length scale" : "length") + " must be in 0.." + limit + " pixels");
  }
  Status centre = checkCentre(centreX, centreY);
  if (!centre.ok()) return centre;
  float maxLength = lengthScale;
  if (lengthMap) {
    float top = 0;
    for (size_t i = 0; i < linear.planeSize(); ++i) {
      const float l = lengthMap[i];
      if (!(l >= 0 && l * lengthScale <= kMaxDirectionalLength)) {
        return invalid("length map values must give lengths in 0.." + limit + " pixels");
      }
      top = std::max(top, l);
    }
    maxLength = top * lengthScale;
  }
  const int w = linear.width, h = linear.height;
  // Centre on a pixel centre, so that pixel samples itself exactly.
  const int cx = static_cast<int>(std::lround(centreX * (w - 1))), cy = static_cast<int>(std::lround(centreY * (h - 1)));
  const double reach = std::max({std::hypot(cx, cy), std::hypot(w - 1 - cx, cy), std::hypot(cx, h - 1 - cy),
                                 std::hypot(w - 1 - cx, h - 1 - cy)});
  if (maxLength <= 0 || reach < 1) {
    Result<ImagePlanar> out = ImagePlanar::create(w, h, linear.channels);
    if (out.ok()) std::memcpy(out.value().samples.data(), linear.samples.data(), linear.samples.size() * sizeof(float));
    return out;
  }
  return blurCones(linear, cx, cy, RadialLengths{reach, lengthScale, lengthMap, maxLength});
}

}  // namespace defocus
