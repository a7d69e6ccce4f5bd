// Internal: degrees to radians, for the options that take an angle in degrees (motion's
// direction, the aperture's rotation).
#pragma once

namespace defocus {

constexpr double kPi = 3.14159265358979323846;

constexpr double radians(double degrees) { return degrees * kPi / 180; }

}  // namespace defocus
