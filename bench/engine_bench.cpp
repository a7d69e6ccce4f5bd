// Native timings of the engine's stages on one photo; bench/run.mjs prints them next to
// the WASM build's. Output: one JSON object per line {"stage": ..., "ms": ...}.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "defocus/codec.h"
#include "defocus/color.h"
#include "defocus/resample.h"

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

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: engine_bench PHOTO [runs]\n");
    return 2;
  }
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  std::ifstream in(argv[1], std::ios::binary);
  const std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
  auto decoded = defocus::decodeImage(bytes.data(), bytes.size());
  if (!decoded.ok()) {
    std::fprintf(stderr, "%s\n", decoded.status().reason().c_str());
    return 1;
  }
  const defocus::ImageRGBA8& image = decoded.value().image;
  auto report = [](const char* stage, double ms) { std::printf("{\"stage\":\"%s\",\"ms\":%.2f}\n", stage, ms); };
  report("decode", bestOf(runs, [&] { defocus::decodeImage(bytes.data(), bytes.size()); }));
  defocus::Buffer<float> linearValues;
  linearValues.resize(image.pixels.size());
  report("to_linear", bestOf(runs, [&] {
    defocus::srgb8ToLinear(image.pixels.data(), linearValues.data(), image.pixels.size());
  }));
  auto linear = defocus::rgba8ToLinear(image).take();
  report("to_srgb8", bestOf(runs, [&] { defocus::linearToRgba8(linear); }));
  report("downscale_1/4", bestOf(runs, [&] { defocus::resize(linear, image.width / 4, image.height / 4); }));
  report("resize_rgba8_1/4", bestOf(runs, [&] { defocus::resizeRgba8(image, image.width / 4, image.height / 4); }));
  report("encode_jpeg_q90", bestOf(runs, [&] { defocus::encodeJpeg(image, 90); }));
  report("encode_png", bestOf(1, [&] { defocus::encodePng(image); }));
  return 0;
}
