// Filling the background in behind the subject before it is blurred, so no subject colour
// bleeds into the bokeh and no ring of the subject's surroundings is left around it.
//
// Push-pull (normalised convolution on a pyramid): every pixel carries a confidence that
// it shows pure background, (1 - alpha / 0.25)^2 clamped (edge pixels with more alpha mix in
// the subject, so they are not trusted); the pyramid averages colour weighted by confidence
// (push), then each level takes what it lacks from the level below it (pull). Holes of any
// size are filled from the nearest background, smoothly, in O(pixels).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "defocus/alpha16.h"
#include "defocus/image.h"

namespace defocus {

// linear: colour planes (3, or more: every plane is filled); matte: one plane, same size,
// alpha 0..1 (1 = subject): a float plane or 16 bits (AlphaRows). Returns the planes with the subject's area replaced.
Result<ImagePlanar> fillBackground(const ImagePlanar& linear, const ImagePlanar& matte);

// The same fill without the full-resolution planes: the pyramid keeps only its levels from
// half size down (a quarter of the pixels), built from rows the caller supplies, and
// gives the filled full-resolution rows on request. fillBackground's numbers exactly.
class BackgroundFill {
 public:
  // Fills columns [x0, x1) of row y into `channels` rows (one pointer per channel, width
  // floats each, written at [x0, x1)): the rows asked again during the render are only as
  // wide as the subject that needs them.
  using RowSource = std::function<void(int y, int x0, int x1, float* const* planes)>;
  static Result<BackgroundFill> build(int width, int height, int channels, const RowSource& source,
                                      const AlphaRows& matte);
  // The source and the matte must outlive the fill (it reads them again for its rows).
  // Rows [y0, y1): linear holds those rows of the photo (channels planes, width * (y1 - y0)
  // each), out gets the filled rows (same layout; may be linear itself).
  void rows(int y0, int y1, const AlphaRows& matte, const float* const* linear, float* const* out) const;

  // The half-size rows rows() makes again on request, the last two kept, and their scratch:
  // the fill holds one; each further thread asking for rows at once needs its own. alpha:
  // two rows for a 16-bit matte's row as floats (rows()'s own, the half row's).
  struct HalfRows {
    int row[2] = {-1, -1};
    int from[2] = {0, 0}, to[2] = {0, 0};  // each row's columns made: [from, to)
    int lastUsed = 1;
    Buffer<float> rows, base, baseWeight, alpha;
    Buffer<float> trust;  // rows(): a row's trust in the photo (1: kept as it is)
  };
  Result<HalfRows> halfRows() const;
  // rows() with the caller's half rows (made by halfRows()).
  void rows(int y0, int y1, const AlphaRows& matte, const float* const* linear, float* const* out, HalfRows& half) const;

  struct Level {
    int width = 0, height = 0;
    Buffer<float> weighted;  // channels planes, premultiplied by weight
    Buffer<float> weight;
  };

 private:
  // Row j of the filled half-size level, plane `channel` (made from the source rows), at
  // least its columns [x0, x1).
  const float* halfRow(int j, int channel, int x0, int x1, HalfRows& cache) const;

  int width_ = 0, height_ = 0, channels_ = 0;
  bool anyBackground_ = false;
  // [0]: the filled quarter-size level, or the half-size one when that is the top (1x1);
  // empty when there is nothing to fill.
  std::vector<Level> levels_;
  bool halfStored_ = false;
  int halfWidth_ = 0, halfHeight_ = 0;
  RowSource source_;
  AlphaRows matte_;
  std::shared_ptr<HalfRows> cache_ = std::make_shared<HalfRows>();  // rows()'s own
};

}  // namespace defocus
