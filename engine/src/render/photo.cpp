#include "defocus/photo.h"

#include <cstring>

namespace defocus {
namespace {

bool sameStrokes(const std::vector<BrushStroke>& a, const std::vector<BrushStroke>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const BrushStroke &s = a[i], &t = b[i];
    if (s.restore != t.restore || s.radius != t.radius || s.hardness != t.hardness || s.points.size() != t.points.size()) {
      return false;
    }
    for (size_t k = 0; k < s.points.size(); ++k) {
      if (s.points[k].x != t.points[k].x || s.points[k].y != t.points[k].y) return false;
    }
  }
  return true;
}

}  // namespace

Result<Photo> Photo::decode(const uint8_t* data, size_t size, const DecodeOptions& options) {
  Result<DecodedImage> decoded = decodeImage(data, size, options);
  if (!decoded.ok()) return decoded.status();
  Result<Photo> photo = fromPixels(std::move(decoded.value().image));
  if (!photo.ok()) return photo;
  photo.value().format_ = decoded.value().format;
  photo.value().orientation_ = decoded.value().orientation;
  return photo;
}

Result<Photo> Photo::fromPixels(ImageRGBA8&& image) {
  Status shape = checkImageShape(image.width, image.height, 4, 1);
  if (!shape.ok()) return shape;
  if (image.pixels.size() != static_cast<size_t>(image.width) * image.height * 4) {
    return Status{ErrorCode::kInvalidArgument, "pixels do not match the photo's size"};
  }
  Photo photo;
  photo.image_ = std::make_shared<const ImageRGBA8>(std::move(image));
  return photo;
}

Status Photo::setMatteFrom(const ImagePlanar& probability, const MatteOptions& options, bool refine) {
  releaseRenderer();
  matte_.reset();  // freed before the new one is made: one full-size matte at a time
  Result<ImagePlanar> m = refine ? refineMatte(*image_, probability, options)
                                 : upsampleMatte(probability, image_->width, image_->height);
  if (!m.ok()) return m.status();
  Result<Alpha16> compact = Alpha16::fromPlane(m.value(), options.threads);
  if (!compact.ok()) return compact.status();
  coverage_ = compact.value().mean();
  matte_ = std::make_shared<const Alpha16>(compact.take());
  return Status::success();
}

Result<ImageRGBA8> Photo::render(const RenderOptions& options, const std::vector<BrushStroke>& strokes,
                                 const ImagePlanar* depthMap) {
  if (!matte_) return Status{ErrorCode::kInvalidArgument, "the photo has no matte yet: segment it first"};
  if (!renderer_ || !sameStrokes(strokes, rendererStrokes_)) {
    releaseRenderer();
    std::shared_ptr<const Alpha16> matte = matte_;  // shared as it is when nothing is brushed
    if (!strokes.empty()) {  // brushed on floats, kept in 16 bits as the photo's
      Result<ImagePlanar> brushed = matte_->toPlane();
      if (!brushed.ok()) return brushed.status();
      Status ok = applyStrokes(brushed.value(), strokes);
      if (!ok.ok()) return ok;
      Result<Alpha16> compact = Alpha16::fromPlane(brushed.value());
      if (!compact.ok()) return compact.status();
      matte = std::make_shared<const Alpha16>(compact.take());
    }
    Result<PortraitRenderer> renderer = PortraitRenderer::create(image_, std::move(matte));
    if (!renderer.ok()) return renderer.status();
    renderer_ = renderer.take();
    rendererStrokes_ = strokes;
  }
  return renderer_->render(options, depthMap);
}

Result<Bytes> encodeAs(const ImageRGBA8& image, const std::string& format, int quality) {
  if (format == "png") return encodePng(image);
  if (format == "jpeg") return encodeJpeg(image, quality);
  return Status{ErrorCode::kUnsupported, "the engine encodes png and jpeg, not '" + format + "'"};
}

Result<Bytes> encodeAs(ImageRGBA8&& image, const std::string& format, int quality) {
  if (format == "png") return encodePngConsuming(std::move(image));
  return encodeAs(static_cast<const ImageRGBA8&>(image), format, quality);
}

}  // namespace defocus
