#include "fixtures.h"

#include "defocus/codec.h"
#include "defocus/color.h"
#include "defocus/resample.h"

#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

namespace fixtures {
namespace {

void appendToVector(void* context, void* data, int size) {
  auto* out = static_cast<ByteVector*>(context);
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

void put16(ByteVector& v, uint16_t x, bool bigEndian) {
  if (bigEndian) {
    v.push_back(x >> 8);
    v.push_back(x & 0xFF);
  } else {
    v.push_back(x & 0xFF);
    v.push_back(x >> 8);
  }
}

void put32(ByteVector& v, uint32_t x, bool bigEndian) {
  if (bigEndian) {
    put16(v, x >> 16, true);
    put16(v, x & 0xFFFF, true);
  } else {
    put16(v, x & 0xFFFF, false);
    put16(v, x >> 16, false);
  }
}

}  // namespace

std::string testdataPath(const std::string& relative) {
  const char* root = std::getenv("DEFOCUS_TESTDATA");
  return std::string(root ? root : DEFOCUS_TESTDATA) + "/" + relative;
}

ByteVector readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return ByteVector(std::istreambuf_iterator<char>(in), {});
}

defocus::ImageRGBA8 quadrantImage(int width, int height) {
  static const uint8_t colours[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
  auto image = defocus::ImageRGBA8::create(width, height).take();
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const uint8_t* c = colours[(y >= height / 2) * 2 + (x >= width / 2)];
      uint8_t* p = image.row(y) + 4 * x;
      p[0] = c[0];
      p[1] = c[1];
      p[2] = c[2];
      p[3] = 255;
    }
  }
  return image;
}

defocus::ImageRGBA8 noiseImage(int width, int height, uint32_t seed) {
  auto image = defocus::ImageRGBA8::create(width, height).take();
  uint32_t state = seed ? seed : 1;
  for (size_t i = 0; i < image.pixels.size(); ++i) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    image.pixels[i] = static_cast<uint8_t>(state >> 24);
  }
  return image;
}

ByteVector toVector(const defocus::Bytes& bytes) { return ByteVector(bytes.data(), bytes.data() + bytes.size()); }

ByteVector encodeJpeg(const defocus::ImageRGBA8& image, int quality) {
  ByteVector out;
  stbi_write_jpg_to_func(appendToVector, &out, image.width, image.height, 4, image.pixels.data(), quality);
  return out;
}

ByteVector encodePng(const defocus::ImageRGBA8& image) {
  ByteVector out;
  stbi_write_png_to_func(appendToVector, &out, image.width, image.height, 4, image.pixels.data(), image.width * 4);
  return out;
}

ByteVector encodeBmp(const defocus::ImageRGBA8& image) {
  ByteVector out;
  stbi_write_bmp_to_func(appendToVector, &out, image.width, image.height, 4, image.pixels.data());
  return out;
}

ByteVector withExifOrientation(const ByteVector& jpeg, int orientation, bool bigEndian) {
  ByteVector tiff;
  tiff.push_back(bigEndian ? 'M' : 'I');
  tiff.push_back(bigEndian ? 'M' : 'I');
  put16(tiff, 42, bigEndian);
  put32(tiff, 8, bigEndian);  // IFD0 right after the header
  put16(tiff, 2, bigEndian);  // two entries: a decoy tag first, then orientation
  put16(tiff, 0x010F, bigEndian);  // Make, ASCII, 4 bytes inline
  put16(tiff, 2, bigEndian);
  put32(tiff, 4, bigEndian);
  tiff.insert(tiff.end(), {'a', 'b', 'c', 0});
  put16(tiff, 0x0112, bigEndian);
  put16(tiff, 3, bigEndian);  // SHORT
  put32(tiff, 1, bigEndian);
  put16(tiff, static_cast<uint16_t>(orientation), bigEndian);
  put16(tiff, 0, bigEndian);
  put32(tiff, 0, bigEndian);  // no next IFD

  ByteVector segment = {0xFF, 0xE1};
  put16(segment, static_cast<uint16_t>(2 + 6 + tiff.size()), true);
  segment.insert(segment.end(), {'E', 'x', 'i', 'f', 0, 0});
  segment.insert(segment.end(), tiff.begin(), tiff.end());

  ByteVector out = {jpeg[0], jpeg[1]};  // SOI
  out.insert(out.end(), segment.begin(), segment.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

// LZW without compression: 8-bit codes, a clear code before the table would widen.
static ByteVector lzwLiteral(const std::vector<uint8_t>& indices) {
  const int minCodeSize = 7;  // codes are 8 bits wide: 128 literals + clear + end
  const int clear = 1 << minCodeSize, end = clear + 1;
  ByteVector codes;
  int sinceClear = 0;
  codes.push_back(clear);
  for (uint8_t index : indices) {
    if (sinceClear == 126) {  // the decoder's table would reach 256 entries and widen to 9 bits
      codes.push_back(clear);
      sinceClear = 0;
    }
    codes.push_back(index);
    ++sinceClear;
  }
  codes.push_back(end);
  ByteVector out = {static_cast<uint8_t>(minCodeSize)};
  for (size_t i = 0; i < codes.size(); i += 255) {
    const size_t n = std::min<size_t>(255, codes.size() - i);
    out.push_back(static_cast<uint8_t>(n));
    out.insert(out.end(), codes.begin() + i, codes.begin() + i + n);
  }
  out.push_back(0);
  return out;
}

ByteVector makeGif(int width, int height, const std::vector<uint32_t>& paletteRgb,
                   const std::vector<std::vector<uint8_t>>& frames) {
  ByteVector out = {'G', 'I', 'F', '8', '9', 'a'};
  put16(out, width, false);
  put16(out, height, false);
  out.push_back(0xF6);  // global colour table of 128 entries
  out.push_back(0);
  out.push_back(0);
  for (int i = 0; i < 128; ++i) {
    const uint32_t rgb = i < static_cast<int>(paletteRgb.size()) ? paletteRgb[i] : 0;
    out.push_back(rgb >> 16);
    out.push_back((rgb >> 8) & 0xFF);
    out.push_back(rgb & 0xFF);
  }
  for (const auto& frame : frames) {
    out.insert(out.end(), {0x21, 0xF9, 4, 0x04, 10, 0, 0, 0});  // graphic control: 0.1 s, keep
    out.push_back(0x2C);
    put16(out, 0, false);
    put16(out, 0, false);
    put16(out, width, false);
    put16(out, height, false);
    out.push_back(0);
    ByteVector data = lzwLiteral(frame);
    out.insert(out.end(), data.begin(), data.end());
  }
  out.push_back(0x3B);
  return out;
}

uint32_t crc32(const uint8_t* data, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

static void pngChunk(ByteVector& out, const char* type, const ByteVector& payload) {
  put32(out, static_cast<uint32_t>(payload.size()), true);
  ByteVector typed(type, type + 4);
  typed.insert(typed.end(), payload.begin(), payload.end());
  out.insert(out.end(), typed.begin(), typed.end());
  put32(out, crc32(typed.data(), typed.size()), true);
}

ByteVector pngHeaderOnly(uint32_t width, uint32_t height) {
  ByteVector out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  ByteVector ihdr;
  put32(ihdr, width, true);
  put32(ihdr, height, true);
  ihdr.insert(ihdr.end(), {8, 6, 0, 0, 0});  // 8-bit RGBA, deflate, no interlace
  pngChunk(out, "IHDR", ihdr);
  pngChunk(out, "IEND", {});
  return out;
}

const defocus::ImagePlanar& photoLinear(const std::string& name, int width) {
  static std::map<std::pair<std::string, int>, defocus::ImagePlanar> decoded;
  auto found = decoded.find({name, width});
  if (found != decoded.end()) return found->second;
  const ByteVector bytes = readFile(testdataPath("photos/" + name));
  auto photo = defocus::decodeImage(bytes.data(), bytes.size());
  if (!photo.ok()) throw std::runtime_error("cannot decode " + name);
  auto linear = defocus::rgba8ToLinear(photo.value().image, 3).take();
  auto resized = defocus::resize(linear, width, width * linear.height / linear.width).take();
  return decoded.emplace(std::make_pair(name, width), std::move(resized)).first->second;
}

Scene loadScene(const std::string& name, int width) {
  const auto bytes = readFile(testdataPath(name + ".jpg"));
  const auto alphaBytes = readFile(testdataPath(name + ".alpha.png"));
  defocus::ImageRGBA8 photo = defocus::decodeImage(bytes.data(), bytes.size()).take().image;
  defocus::ImageRGBA8 alpha = defocus::decodeImage(alphaBytes.data(), alphaBytes.size()).take().image;
  const int height = static_cast<int>(std::lround(double(photo.height) * width / photo.width));
  defocus::ImagePlanar a = defocus::ImagePlanar::create(alpha.width, alpha.height, 1).take();
  for (size_t i = 0; i < a.planeSize(); ++i) a.plane(0)[i] = alpha.pixels[4 * i] / 255.0f;
  return {defocus::resizeRgba8(photo, width, height).take(),
          defocus::resize(a, width, height, defocus::UpscaleKernel::kBilinear).take()};
}

double psnrSrgb(const defocus::ImagePlanar& a, const defocus::ImagePlanar& b) {  // linearToSrgb clips to 0..1
  double mse = 0;
  for (size_t i = 0; i < a.samples.size(); ++i) {
    const double d = defocus::linearToSrgb(a.samples[i]) - defocus::linearToSrgb(b.samples[i]);
    mse += d * d;
  }
  return 10 * std::log10(a.samples.size() / mse);
}

std::vector<float> depthLikeMap(int w, int h, float top) {
  std::vector<float> map(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float up = 1.0f - float(y) / (h - 1), dx = (x - 0.3f * w) / (0.2f * w), dy = (y - 0.4f * h) / (0.2f * h);
      map[static_cast<size_t>(y) * w + x] = std::min(top, 0.8f * top * up * up + 0.2f * top * std::exp(-(dx * dx + dy * dy)));
    }
  }
  return map;
}

}  // namespace fixtures
