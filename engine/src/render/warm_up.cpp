// WebAssembly engines compile a module first with a quick baseline compiler and optimise a
// function only once it has run for a while (V8: Liftoff, then TurboFan in the background),
// and a call stays in the code it was entered with. A full-size render enters its big loops
// a few times per photo, so the first photo of a session ran mostly in baseline code. A small
// photo through the same functions starts their optimisation before the first real one.
// bench/warm-start.js, 12 MP render + JPEG, medians of 3 fresh Node sessions (CPU time, load
// 8-12 on 2 cores): first / later 2721 / 1819 ms (1.50x) without, 1790 / 1977 ms (0.91x) with
// this warm-up, which costs 619 ms of CPU once.
#include "defocus/warm_up.h"

#include <cmath>

#include "defocus/photo.h"

namespace defocus {

Status warmUp() {
  // Wider than the depth grid (512), so the grid's matte is averaged from the matte's rows
  // as a full-size photo's is (resizeAlphaRows).
  const int w = 640, h = 384;
  Result<ImageRGBA8> pixels = ImageRGBA8::create(w, h);
  if (!pixels.ok()) return pixels.status();
  // Texture and a few bright points (the lens's highlights), a disc of a subject.
  for (int y = 0; y < h; ++y) {
    uint8_t* row = pixels.value().row(y);
    for (int x = 0; x < w; ++x) {
      const bool light = (x % 97 == 0) && (y % 89 == 0);
      row[4 * x] = light ? 255 : static_cast<uint8_t>((x * 7 + y * 3) & 0xff);
      row[4 * x + 1] = light ? 255 : static_cast<uint8_t>((x ^ y) & 0xff);
      row[4 * x + 2] = light ? 255 : static_cast<uint8_t>((y * 5) & 0xff);
      row[4 * x + 3] = 255;
    }
  }
  Result<Photo> photo = Photo::fromPixels(pixels.take());
  if (!photo.ok()) return photo.status();
  ModelInputSpec spec;
  spec.width = spec.height = 320;
  Result<PreparedInput> input = photo.value().modelInput(spec);
  if (!input.ok()) return input.status();
  Result<ImagePlanar> probability = ImagePlanar::create(64, 48, 1);
  if (!probability.ok()) return probability.status();
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) {
      probability.value().plane(0)[y * 64 + x] = std::hypot(x - 32.0, y - 26.0) < 14 ? 1.0f : 0.0f;
    }
  }
  Status ok = photo.value().setMatteFrom(probability.value(), MatteOptions{}, true);
  if (!ok.ok()) return ok;
  for (int stripRows : {128, -1}) {  // the full-size path, then the preview's; the default lens
    RenderOptions o;
    o.blur.strength = 30;
    o.stripRows = stripRows;
    Result<ImageRGBA8> rendered = photo.value().render(o, {});
    if (!rendered.ok()) return rendered.status();
    if (stripRows > 0) {
      Result<Bytes> encoded = encodeAs(rendered.value(), "jpeg", 90);
      if (!encoded.ok()) return encoded.status();
    }
  }
  return Status::success();
}

}  // namespace defocus
