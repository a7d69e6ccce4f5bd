// The finished portrait: a photo and its matte in, the photo with a blurred background
// out, without the halo and colour bleeding of "blur everything, then composite".
//
//   1. fill: the background behind the subject is filled from the surrounding background
//      (background_fill.h), so the blur never spreads subject colour;
//   2. blur: the filled background, in linear light, with any blur style, each pixel by
//      its circle of confusion from the depth (depth.h); the subject too when the focal
//      plane is elsewhere (then it is blurred as a premultiplied layer of its own);
//   3. decontaminate: at fractional alpha (hair, fur) the true subject colour is
//      F = (I - (1 - a) B) / a, with B the filled background, so edges do not carry the
//      old background's colour onto the blurred one;
//   4. composite a F + (1 - a) blur(B); pixels with alpha 1 keep their original bytes;
//   5. optionally, grain matched to the subject's noise where the background was blurred.
#pragma once

#include <cstdint>
#include <memory>

#include "defocus/alpha16.h"
#include "defocus/blur.h"
#include "defocus/depth.h"
#include "defocus/image.h"

namespace defocus {

class ReplacementRows;  // cutout.h

// What goes behind the subject (cutout.h): its own background blurred (the portrait), nothing
// (transparent: the decontaminated subject with alpha = the matte), or a replacement.
enum class BackgroundMode { kBlur, kTransparent, kReplace };

struct RenderOptions {
  BlurOptions blur;            // style; strength gives the largest radius (the farthest depth)
  BackgroundMode background = BackgroundMode::kBlur;
  // kReplace: 3 linear planes at the photo's size (coverBackground, solidBackground), owned
  // by the caller; blurred by the depth at the strength unless blurReplacement is off.
  const ImagePlanar* replacement = nullptr;
  // Or the same made a band of rows at a time (cutout.h), which a full-size render in strips
  // reads without full-size planes; owned by the caller. Used when `replacement` is null.
  const ReplacementRows* replacementRows = nullptr;
  bool blurReplacement = true;
  DepthOptions depth;          // how far things are and where the focal plane is
  bool fillBackground = true;  // off: blur the photo as it is (the naive method)
  bool decontaminate = true;   // off: edge pixels keep their mixed colour
  bool grain = false;          // add grain matching the subject's noise to the blurred areas
  uint32_t grainSeed = 1;      // same seed, same grain
  // How render() goes through the image: 0 picks (whole image up to kWholeRenderPixels, the
  // preview path; strips of bounded memory above); > 0 forces strips of that many rows;
  // < 0 forces the whole image (benchmarks).
  int stripRows = 0;
  // Threads that render the strips, each a run of consecutive strips with its own working
  // planes (about 180 MB each): the same pixels as one thread. One where threads cannot
  // start (the WebAssembly build has none yet).
  int threads = 1;
};

// Up to this many pixels render() works on whole-image planes (about 80 bytes a pixel, the
// fastest path for previews); larger photos go in strips, cutout and replace too: the
// engine's peak through a whole blur() grows ~11-13 bytes a pixel by style (photo 4, matte 2
// in 16 bits, output 4, fill 0.75, a strip's halo; strength 100 about 15.7: its halo is over a
// fifth of the photo's rows at 48 MP) above ~0-130 MB (tests/wasm/memory.test.mjs, bench/memory.js).
constexpr long long kWholeRenderPixels = 6'000'000;

// Step 3 alone: the subject's own colour where alpha is fractional (elsewhere the photo),
// given the photo, the matte and the filled background (all linear, 3 planes).
Result<ImagePlanar> estimateForeground(const ImagePlanar& linear, const ImagePlanar& matte,
                                       const ImagePlanar& background);

// A photo and its matte prepared once (linear planes, filled background, decontaminated
// subject, depth estimates), rendered as often as the options change: a slider move only
// blurs and composites.
class PortraitRenderer {
 public:
  static Result<PortraitRenderer> create(const ImageRGBA8& photo, const ImagePlanar& matte);
  // The same, sharing the caller's photo and matte (one plane) instead of copying them.
  static Result<PortraitRenderer> create(std::shared_ptr<const ImageRGBA8> photo,
                                         std::shared_ptr<const ImagePlanar> matte);
  // The same with a 16-bit matte (an engine Photo's): the full-size path reads it by rows.
  static Result<PortraitRenderer> create(std::shared_ptr<const ImageRGBA8> photo, std::shared_ptr<const Alpha16> matte);
  // From linear planes (3) without the photo's bytes: renderLinear() only.
  static Result<PortraitRenderer> createLinear(const ImagePlanar& linear, const ImagePlanar& matte);
  // depthMap: for DepthMode::kMap (0 = near .. 1 = far, any size), else ignored.
  Result<ImageRGBA8> render(const RenderOptions& options, const ImagePlanar* depthMap = nullptr);
  Result<ImagePlanar> renderLinear(const RenderOptions& options, const ImagePlanar* depthMap = nullptr);

  struct Impl;  // defined in render.cpp

 private:
  std::shared_ptr<Impl> impl_;
};

// One-off render (PortraitRenderer underneath). depthMap as above.
Result<ImageRGBA8> renderPortrait(const ImageRGBA8& photo, const ImagePlanar& matte, const RenderOptions& options,
                                  const ImagePlanar* depthMap = nullptr);

// The same on linear planes (3 colour planes), for tests and for callers that stay linear.
Result<ImagePlanar> renderPortraitLinear(const ImagePlanar& linear, const ImagePlanar& matte,
                                         const RenderOptions& options, const ImagePlanar* depthMap = nullptr);

// The blur radius the render gives each pixel (background layer) and the subject. linear:
// the photo's linear colour planes, for reading its focus (depth.readFocus); without it,
// geometry alone (as for a renderer made without a photo).
struct BlurRadii {
  ImagePlanar background;  // pixels, one plane
  float subject = 0;
};
Result<BlurRadii> renderRadii(const ImagePlanar& matte, const RenderOptions& options,
                              const ImagePlanar* depthMap = nullptr, const ImagePlanar* linear = nullptr);

}  // namespace defocus
