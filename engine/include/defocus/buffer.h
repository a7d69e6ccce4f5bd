// Move-only heap array that reports allocation failure as `false` instead of throwing:
// every pixel and byte buffer goes through this type, so the common out-of-memory case
// (a big image) is a plain return value. Its allocations count for the test hook in
// allocation_failure.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "defocus/allocation_failure.h"

namespace defocus {

template <typename T>
class Buffer {
 public:
  Buffer() = default;
  ~Buffer() { std::free(data_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& other) noexcept { swap(other); }
  Buffer& operator=(Buffer&& other) noexcept {
    Buffer tmp(std::move(other));
    swap(tmp);
    return *this;
  }

  // Sets the size to `count` elements (contents unspecified); false on overflow or OOM.
  bool resize(size_t count) {
    if (count > SIZE_MAX / sizeof(T)) return false;
    if (count <= capacity_) {
      size_ = count;
      return true;
    }
    return reserve(count) && (size_ = count, true);
  }

  // Appends raw elements, growing geometrically; false on OOM.
  bool append(const T* items, size_t count) {
    if (count > SIZE_MAX / sizeof(T) - size_) return false;
    const size_t needed = size_ + count;
    if (needed > capacity_ && !reserve(needed > 2 * capacity_ ? needed : 2 * capacity_)) return false;
    if (count) std::memcpy(data_ + size_, items, count * sizeof(T));
    size_ = needed;
    return true;
  }

  // Takes ownership of a malloc'd array (e.g. from stb) without copying.
  static Buffer adopt(T* mallocd, size_t count) {
    Buffer b;
    b.data_ = mallocd;
    b.size_ = b.capacity_ = count;
    return b;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  bool reserve(size_t count) {
    if (count > SIZE_MAX / sizeof(T)) return false;
    if (!detail::allocationAllowed()) return false;
    void* grown = std::realloc(data_, count * sizeof(T));
    if (!grown) {
      detail::noteFailedAllocation();
      return false;
    }
    data_ = static_cast<T*>(grown);
    capacity_ = count;
    return true;
  }
  void swap(Buffer& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

using Bytes = Buffer<uint8_t>;

}  // namespace defocus
