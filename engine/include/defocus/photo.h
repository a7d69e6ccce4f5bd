// One photo inside the engine: decoded (or handed over as pixels) once, then read in place
// by everything that follows: the model's input, the matte's refinement, every render and
// the encoder. Nothing full-size leaves it unless asked for (pixels(), matte()), so a
// blur() of a 48 MP photo moves only the file in and the encoded result out.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "defocus/alpha16.h"
#include "defocus/brush.h"
#include "defocus/codec.h"
#include "defocus/matte.h"
#include "defocus/model_io.h"
#include "defocus/render.h"

namespace defocus {

class Photo {
 public:
  static Result<Photo> decode(const uint8_t* data, size_t size, const DecodeOptions& options = {});
  static Result<Photo> fromPixels(ImageRGBA8&& image);

  const ImageRGBA8& image() const { return *image_; }
  const std::string& format() const { return format_; }
  int orientation() const { return orientation_; }

  Result<PreparedInput> modelInput(const ModelInputSpec& spec, int threads = 1) const {
    return prepareModelInput(*image_, spec, threads);
  }
  // The matte from the model's probability map: refined against the photo (refine) or
  // only upsampled. Replaces the previous matte. Kept in 16 bits (alpha16.h): 2 bytes a
  // pixel less through every full-size render.
  Status setMatteFrom(const ImagePlanar& probability, const MatteOptions& options, bool refine);
  bool hasMatte() const { return matte_ != nullptr; }
  const Alpha16& matte() const { return *matte_; }
  double coverage() const { return coverage_; }  // mean alpha

  // The portrait with the matte brushed by `strokes`. The prepared renderer is kept for the
  // next call with the same strokes (a slider move); releaseRenderer() frees it.
  Result<ImageRGBA8> render(const RenderOptions& options, const std::vector<BrushStroke>& strokes,
                            const ImagePlanar* depthMap = nullptr);
  void releaseRenderer() { renderer_.reset(), rendererStrokes_.clear(); }

 private:
  std::shared_ptr<const ImageRGBA8> image_;
  std::shared_ptr<const Alpha16> matte_;
  double coverage_ = 0;
  std::string format_ = "pixels";
  int orientation_ = 1;
  std::optional<PortraitRenderer> renderer_;
  std::vector<BrushStroke> rendererStrokes_;
};

// The encoders by name: "png" or "jpeg" (quality 1..100).
Result<Bytes> encodeAs(const ImageRGBA8& image, const std::string& format, int quality);
// The same from an image given up (an export's render): a PNG is filtered in its pixels.
Result<Bytes> encodeAs(ImageRGBA8&& image, const std::string& format, int quality);

}  // namespace defocus
