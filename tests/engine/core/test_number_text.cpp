// Numbers in error messages read back as the value that was given, in as few digits as that takes.
#include <gtest/gtest.h>

#include <cmath>

#include "core/number_text.h"

namespace defocus {
namespace {

TEST(NumberText, ShortestDecimalThatReadsBackTheSameDouble) {
  EXPECT_EQ(numberText(0.75), "0.75");
  EXPECT_EQ(numberText(100.0), "100");
  EXPECT_EQ(numberText(4294967295.0), "4294967295");
  EXPECT_EQ(numberText(0.1), "0.1");
  EXPECT_EQ(numberText(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(numberText(-0.25), "-0.25");
}

TEST(NumberText, AFloatReadsBackAsTheFloatNotItsDoubleExpansion) {
  EXPECT_EQ(numberText(1.1f), "1.1");  // as a double it would be 1.100000023841858
  EXPECT_EQ(numberText(2.0f), "2");
  EXPECT_EQ(numberText(1e-30f), "1e-30");
}

TEST(NumberText, NonFiniteValuesAreNamed) {
  EXPECT_EQ(numberText(std::nan("")), "nan");
  EXPECT_EQ(numberText(INFINITY), "inf");
  EXPECT_EQ(numberText(-INFINITY), "-inf");
}

}  // namespace
}  // namespace defocus
