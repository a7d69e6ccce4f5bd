// Native timings for bench/run.js, one JSON object per line.
//   engine_bench stages PHOTO RUNS            codec and colour stages on the photo
//   engine_bench blur PHOTO WIDTH HEIGHT RUNS  every blur style at strengths 10/50/100,
//                                             on the photo resized to WIDTH x HEIGHT
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "defocus/blur.h"
#include "defocus/codec.h"
#include "defocus/color.h"
#include "defocus/resample.h"
#include "jpeg_huffman_check.h"
#include "png_checksums.h"

using Clock = std::chrono::steady_clock;

template <typename F>
double bestOf(int runs, F&& f) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return best;
}

static void stages(const std::vector<uint8_t>& bytes, const defocus::ImageRGBA8& image, int runs) {
  auto report = [](const char* stage, double ms) { std::printf("{\"stage\":\"%s\",\"ms\":%.2f}\n", stage, ms); };
  report("decode", bestOf(runs, [&] { defocus::decodeImage(bytes.data(), bytes.size()); }));
  // The checks stb does not make (issue 14), alone: their share of a decode.
  report("jpeg_table_walk", bestOf(runs, [&] { defocus::checkJpegHuffmanTables(bytes.data(), bytes.size()); }));
  const auto png = defocus::encodePng(image);
  if (png.ok()) {
    const uint8_t* p = png.value().data();
    const size_t n = png.value().size();
    report("decode_png", bestOf(runs, [&] { defocus::decodeImage(p, n); }));
    report("png_crc_check", bestOf(runs, [&] { defocus::checkPngChunkCrcs(p, n); }));
    report("png_adler_check", bestOf(runs, [&] { defocus::checkPngAdler(p, n, image.pixels.size() + image.height); }));
  }
  defocus::Buffer<float> linearValues;
  linearValues.resize(image.pixels.size());
  report("to_linear", bestOf(runs, [&] {
    defocus::srgb8ToLinear(image.pixels.data(), linearValues.data(), image.pixels.size());
  }));
  report("resize_rgba8_1/4", bestOf(runs, [&] { defocus::resizeRgba8(image, image.width / 4, image.height / 4); }));
  report("encode_jpeg_q90", bestOf(runs, [&] { defocus::encodeJpeg(image, 90); }));
  report("encode_png", bestOf(1, [&] { defocus::encodePng(image); }));
}

static void blurs(const defocus::ImageRGBA8& image, int runs) {
  struct Style { const char* name; defocus::BlurOptions options; };
  std::vector<Style> styles(5);
  styles[0] = {"gaussian", {}};
  styles[0].options.style = defocus::BlurStyle::kGaussian;
  styles[1] = {"lens + highlights", {}};
  styles[1].options.highlights.boost = 8;
  styles[2] = {"lens hexagon", {}};
  styles[2].options.aperture = {6, 15.0f, 0.0f};
  styles[3] = {"motion", {}};
  styles[3].options.style = defocus::BlurStyle::kMotion;
  styles[3].options.angleDegrees = 20;
  styles[4] = {"radial", {}};
  styles[4].options.style = defocus::BlurStyle::kRadial;
  for (Style& s : styles) {
    for (float strength : {10.0f, 50.0f, 100.0f}) {
      s.options.strength = strength;
      const double ms = bestOf(runs, [&] { defocus::blurImage(image, s.options); });
      std::printf("{\"style\":\"%s\",\"strength\":%g,\"ms\":%.2f}\n", s.name, strength, ms);
    }
  }
}

int main(int argc, char** argv) {
  const bool blurMode = argc >= 6 && std::strcmp(argv[1], "blur") == 0;
  if (!blurMode && !(argc >= 4 && std::strcmp(argv[1], "stages") == 0)) {
    std::fprintf(stderr, "usage: engine_bench stages PHOTO RUNS | blur PHOTO WIDTH HEIGHT RUNS\n");
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  const std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
  auto decoded = defocus::decodeImage(bytes.data(), bytes.size());
  if (!decoded.ok()) {
    std::fprintf(stderr, "%s\n", decoded.status().reason().c_str());
    return 1;
  }
  if (!blurMode) {
    stages(bytes, decoded.value().image, std::atoi(argv[3]));
    return 0;
  }
  auto resized = defocus::resizeRgba8(decoded.value().image, std::atoi(argv[3]), std::atoi(argv[4]));
  if (!resized.ok()) return 1;
  blurs(resized.value(), std::atoi(argv[5]));
  return 0;
}
