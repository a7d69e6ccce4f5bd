#include "core/number_text.h"

#include <cstdio>
#include <cstdlib>

namespace defocus {

namespace {

template <typename T, typename Parse>
std::string shortest(T v, Parse parse) {
  char text[32];
  // Whole numbers in full ("%.1g" would read 100 as "1e+02").
  if (v > -1e15 && v < 1e15 && v == static_cast<T>(static_cast<long long>(v))) {  // NaN and inf fail the range first
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(v));
    return text;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, static_cast<double>(v));
    if (static_cast<T>(parse(text)) == v) break;
  }
  return text;  // NaN never reads back equal: "nan" after the last try
}

}  // namespace

std::string numberText(double v) {
  return shortest(v, [](const char* s) { return std::strtod(s, nullptr); });
}

std::string numberText(float v) {
  return shortest(v, [](const char* s) { return std::strtof(s, nullptr); });
}

}  // namespace defocus
