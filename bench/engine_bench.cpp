// Native timings for bench/run.js, one JSON object per line.
//   engine_bench stages PHOTO RUNS            codec and colour stages on the photo
//   engine_bench blur PHOTO WIDTH HEIGHT RUNS  every blur style at strengths 10/50/100,
//                                             on the photo resized to WIDTH x HEIGHT
//   engine_bench render PHOTO WIDTH HEIGHT RUNS STRIPS [STYLE]  portrait renders (a round
//                                             subject), every style (or STYLE), auto and flat
//                                             depth, strength 30; STRIPS: 0 automatic, -1 whole
//                                             image, N rows; the output's FNV-1a hash for A/B
//                                             (BENCH_VARIANTS=1: the other render paths too)
//   engine_bench refine PHOTO WIDTH HEIGHT RUNS  the matte from a 256 x 256 map of a round
//                                             subject, as blur() makes it (Photo::setMatteFrom)
//                                             with the portrait and the subject model's
//                                             options; BENCH_THREADS threads
#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "defocus/blur.h"
#include "defocus/codec.h"
#include "defocus/color.h"
#include "defocus/photo.h"
#include "defocus/render.h"
#include "defocus/resample.h"
#include "codec/jpeg_huffman_check.h"
#include "codec/png_checksums.h"

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

// CPU time of the process: on a shared machine wall time measures the neighbours too.
template <typename F>
double bestCpuOf(int runs, F&& f) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    const std::clock_t t0 = std::clock();
    f();
    best = std::min(best, 1000.0 * (std::clock() - t0) / CLOCKS_PER_SEC);
  }
  return best;
}

// FNV-1a of the bytes: A/B runs of two builds show whether a change kept the output.
static uint64_t fnv1a(const std::vector<uint8_t>& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : bytes) h = (h ^ b) * 1099511628211ull;
  return h;
}

// One render's CPU and wall times (a fresh renderer, then again) and output hash, as a JSON line.
static void renderLine(const defocus::ImageRGBA8& image, const defocus::ImagePlanar& matte,
                       const defocus::RenderOptions& o, int runs, const std::string& variant) {
  // A fresh renderer per run: the first render of a photo (what an export costs).
  const double first = bestCpuOf(runs, [&] { defocus::renderPortrait(image, matte, o); });
  const double firstWall = bestOf(runs, [&] { defocus::renderPortrait(image, matte, o); });
  defocus::PortraitRenderer renderer = defocus::PortraitRenderer::create(image, matte).take();
  auto pixels = renderer.render(o).take();
  const std::vector<uint8_t> bytes(pixels.pixels.data(), pixels.pixels.data() + pixels.pixels.size());
  const double again = bestCpuOf(runs, [&] { renderer.render(o); });
  const double againWall = bestOf(runs, [&] { renderer.render(o); });
  const std::string named = variant.empty() ? "" : "\"variant\":\"" + variant + "\",";
  std::printf("{\"style\":\"%s\",\"depth\":\"%s\",%s\"threads\":%d,\"first_cpu_ms\":%.1f,\"first_wall_ms\":%.1f,\"again_cpu_ms\":%.1f,"
              "\"again_wall_ms\":%.1f,\"fnv1a\":\"%016llx\"}\n",
              defocus::blurStyleName(o.blur.style), o.depth.mode == defocus::DepthMode::kAuto ? "auto" : "flat",
              named.c_str(), o.threads, first, firstWall, again, againWall, static_cast<unsigned long long>(fnv1a(bytes)));
}

static void renders(const defocus::ImageRGBA8& image, int runs, int stripRows, const char* only) {
  const int w = image.width, h = image.height;
  defocus::ImagePlanar matte = defocus::ImagePlanar::create(w, h, 1).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float d = std::hypot((x - 0.5f * w) / (0.2f * w), (y - 0.6f * h) / (0.35f * h));
      matte.plane(0)[static_cast<size_t>(y) * w + x] = std::clamp((1 - d) * 0.05f * w, 0.0f, 1.0f);
    }
  }
  // BENCH_VARIANTS=1: each style and depth also with the focus on the background (the subject
  // blurred), a replaced background (a vertical ramp), a transparent one, grain, and no
  // decontamination: the render's other paths, for A/B hashes of a refactor.
  defocus::ImagePlanar ramp = defocus::ImagePlanar::create(w, h, 3).take();
  for (int c = 0; c < 3; ++c) {
    for (size_t i = 0; i < ramp.planeSize(); ++i) ramp.plane(c)[i] = static_cast<float>(i / w) / h * (0.3f + 0.3f * c);
  }
  const std::vector<std::string> variants = std::getenv("BENCH_VARIANTS")
      ? std::vector<std::string>{"", "focus-far", "replace", "transparent", "grain", "no-decontaminate"}
      : std::vector<std::string>{""};
  const defocus::BlurStyle styles[] = {defocus::BlurStyle::kLens, defocus::BlurStyle::kGaussian,
                                       defocus::BlurStyle::kMotion, defocus::BlurStyle::kRadial};
  // BENCH_DEPTH=auto|flat: that depth mode alone (a profile of one).
  const char* onlyDepth = std::getenv("BENCH_DEPTH");
  for (defocus::DepthMode depth : {defocus::DepthMode::kAuto, defocus::DepthMode::kFlat}) {
    if (onlyDepth && std::strcmp(onlyDepth, depth == defocus::DepthMode::kAuto ? "auto" : "flat") != 0) continue;
    for (defocus::BlurStyle style : styles) {
      if (only && std::strcmp(only, defocus::blurStyleName(style)) != 0) continue;
      for (const std::string& variant : variants) {
        defocus::RenderOptions o;
        o.blur.style = style;
        o.blur.strength = 30;
        o.depth.mode = depth;
        o.stripRows = stripRows;
        if (variant == "focus-far") o.depth.focusX = 0.02f, o.depth.focusY = 0.02f;
        if (variant == "replace") o.background = defocus::BackgroundMode::kReplace, o.replacement = &ramp;
        if (variant == "transparent") o.background = defocus::BackgroundMode::kTransparent;
        o.grain = variant == "grain";
        o.decontaminate = variant != "no-decontaminate";
        // BENCH_THREADS: strips shared among that many threads (CPU time then counts them all;
        // again_wall_ms shows what the wait is).
        o.threads = std::getenv("BENCH_THREADS") ? std::atoi(std::getenv("BENCH_THREADS")) : 1;
        renderLine(image, matte, o, runs, variant);
      }
    }
  }
}

static void refines(const defocus::ImageRGBA8& image, int runs) {
  constexpr int kMap = 256;
  defocus::ImagePlanar map = defocus::ImagePlanar::create(kMap, kMap, 1).take();
  for (int y = 0; y < kMap; ++y) {
    for (int x = 0; x < kMap; ++x) {
      const float d = std::hypot((x - 0.5f * kMap) / (0.2f * kMap), (y - 0.6f * kMap) / (0.35f * kMap));
      map.plane(0)[static_cast<size_t>(y) * kMap + x] = std::clamp((1 - d) * 8, 0.0f, 1.0f);
    }
  }
  defocus::ImageRGBA8 copy = defocus::ImageRGBA8::create(image.width, image.height).take();
  std::copy(image.pixels.data(), image.pixels.data() + image.pixels.size(), copy.pixels.data());
  defocus::Photo photo = defocus::Photo::fromPixels(std::move(copy)).take();
  struct Model { const char* name; defocus::MatteOptions options; };
  Model models[2] = {{"portrait", {}}, {"subject", {}}};
  models[0].options.radius = 4;  // models/models.json's refine options
  models[1].options.radius = 1, models[1].options.band = true;
  for (Model& m : models) {
    m.options.threads = std::getenv("BENCH_THREADS") ? std::atoi(std::getenv("BENCH_THREADS")) : 1;
    const double cpu = bestCpuOf(runs, [&] { photo.setMatteFrom(map, m.options, true); });
    const double wall = bestOf(runs, [&] { photo.setMatteFrom(map, m.options, true); });
    std::printf("{\"refine\":\"%s\",\"threads\":%d,\"cpu_ms\":%.1f,\"wall_ms\":%.1f,\"coverage\":%.6f}\n", m.name,
                m.options.threads, cpu, wall, photo.coverage());
  }
}

int main(int argc, char** argv) {
  const bool blurMode = argc >= 6 && std::strcmp(argv[1], "blur") == 0;
  const bool renderMode = argc >= 7 && std::strcmp(argv[1], "render") == 0;
  const bool refineMode = argc >= 6 && std::strcmp(argv[1], "refine") == 0;
  if (!blurMode && !renderMode && !refineMode && !(argc >= 4 && std::strcmp(argv[1], "stages") == 0)) {
    std::fprintf(stderr, "usage: engine_bench stages PHOTO RUNS | blur|refine PHOTO WIDTH HEIGHT RUNS | render PHOTO WIDTH HEIGHT RUNS STRIPS [STYLE]\n");
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  const std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
  auto decoded = defocus::decodeImage(bytes.data(), bytes.size());
  if (!decoded.ok()) {
    std::fprintf(stderr, "%s\n", decoded.status().reason().c_str());
    return 1;
  }
  if (!blurMode && !renderMode && !refineMode) {
    stages(bytes, decoded.value().image, std::atoi(argv[3]));
    return 0;
  }
  auto resized = defocus::resizeRgba8(decoded.value().image, std::atoi(argv[3]), std::atoi(argv[4]));
  if (!resized.ok()) return 1;
  if (renderMode) {
    renders(resized.value(), std::atoi(argv[5]), std::atoi(argv[6]), argc >= 8 ? argv[7] : nullptr);
    return 0;
  }
  if (refineMode) {
    refines(resized.value(), std::atoi(argv[5]));
    return 0;
  }
  blurs(resized.value(), std::atoi(argv[5]));
  return 0;
}
