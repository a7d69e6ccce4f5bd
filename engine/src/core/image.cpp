#include "defocus/image.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace defocus {

Status checkImageShape(int width, int height, int channels, size_t elementSize) {
  if (width <= 0 || height <= 0 || width > kMaxImageSide || height > kMaxImageSide) {
    return {ErrorCode::kInvalidArgument,
            "image size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range"};
  }
  if (channels <= 0) return {ErrorCode::kInvalidArgument, "channel count must be positive"};
  const unsigned long long bytes = static_cast<unsigned long long>(width) * height * channels * elementSize;
  if (bytes > SIZE_MAX) {
    return {ErrorCode::kTooLarge, "image " + std::to_string(width) + "x" + std::to_string(height) +
                                      " does not fit in this address space"};
  }
  return Status::success();
}

static Status outOfMemory(int width, int height) {
  return outOfMemory("allocating a " + std::to_string(width) + "x" + std::to_string(height) + " image");
}

Result<ImageRGBA8> ImageRGBA8::create(int width, int height) {
  Status shape = checkImageShape(width, height, 4, 1);
  if (!shape.ok()) return shape;
  ImageRGBA8 image;
  image.width = width;
  image.height = height;
  const size_t bytes = static_cast<size_t>(width) * height * 4;
  if (!image.pixels.resize(bytes + height)) return outOfMemory(width, height);
  image.pixels.resize(bytes);  // the spare byte a row stays reserved (see image.h)
  return image;
}

Result<ImageRGBA8> ImageRGBA8::fromPixels(const uint8_t* data, size_t size, int width, int height) {
  Status shape = checkImageShape(width, height, 4, 1);
  if (!shape.ok()) return shape;
  const size_t expected = static_cast<size_t>(width) * height * 4;
  if (size != expected) {
    return Status{ErrorCode::kInvalidArgument, "pixel buffer holds " + std::to_string(size) + " bytes but " +
                                                   std::to_string(width) + "x" + std::to_string(height) +
                                                   " RGBA needs " + std::to_string(expected)};
  }
  Result<ImageRGBA8> image = create(width, height);
  if (image.ok()) std::memcpy(image.value().pixels.data(), data, expected);
  return image;
}

Result<ImagePlanar> ImagePlanar::create(int width, int height, int channels) {
  Status shape = checkImageShape(width, height, channels, sizeof(float));
  if (!shape.ok()) return shape;
  ImagePlanar image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  if (!image.samples.resize(image.planeSize() * channels)) return outOfMemory(width, height);
  return image;
}

Result<ImagePlanar> copyPlanes(const ImagePlanar& image) {
  Result<ImagePlanar> out = ImagePlanar::create(image.width, image.height, image.channels);
  if (out.ok()) std::copy_n(image.samples.data(), image.samples.size(), out.value().samples.data());
  return out;
}

Result<ImagePlanar> cropPlanes(const ImagePlanar& image, int x0, int y0, int width, int height) {
  Result<ImagePlanar> crop = ImagePlanar::create(width, height, image.channels);
  if (!crop.ok()) return crop;
  for (int c = 0; c < image.channels; ++c) {
    for (int y = 0; y < height; ++y) {
      std::copy_n(image.plane(c) + static_cast<size_t>(y0 + y) * image.width + x0, width,
                  crop.value().plane(c) + static_cast<size_t>(y) * width);
    }
  }
  return crop;
}

void pastePlanes(const ImagePlanar& part, int x0, int y0, ImagePlanar& into) {
  for (int c = 0; c < part.channels; ++c) {
    for (int y = 0; y < part.height; ++y) {
      std::copy_n(part.plane(c) + static_cast<size_t>(y) * part.width, part.width,
                  into.plane(c) + static_cast<size_t>(y0 + y) * into.width + x0);
    }
  }
}

Status checkPlanes(const ImagePlanar& image) {
  if (image.samples.empty() || image.channels < 1 || image.samples.size() != image.planeSize() * image.channels) {
    return {ErrorCode::kInvalidArgument, "image is empty or its planes do not match its size"};
  }
  return Status::success();
}

}  // namespace defocus
