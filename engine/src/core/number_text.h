// Numbers in error messages: the shortest decimal that reads back as the same value
// (0.75, 100, 4294967295; a float 1.1f is "1.1", not "1.10000002").
#pragma once

#include <string>

namespace defocus {

std::string numberText(double v);
std::string numberText(float v);

}  // namespace defocus
