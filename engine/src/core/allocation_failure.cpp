// The allocation-failure hook (allocation_failure.h) and the global operator new that
// honours it. Replacing operator new is what lets the hook reach std::vector & co; the
// replacements behave as the standard ones do (malloc, new_handler loop, bad_alloc) and
// pair with the library's own operator delete, which calls free().
#include "defocus/allocation_failure.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace defocus {
namespace {

std::atomic<uint64_t> allocations{0};
std::atomic<uint64_t> failures{0};
// Allocation number (1-based, as counted above) that must fail; 0 = none armed.
std::atomic<uint64_t> failAt{0};

}  // namespace

void failAllocationAfter(uint64_t n) { failAt = allocations.load() + n + 1; }

void cancelAllocationFailure() { failAt = 0; }

bool allocationFailurePending() { return failAt.load() != 0; }

uint64_t allocationCount() { return allocations.load(); }

uint64_t failedAllocationCount() { return failures.load(); }

namespace detail {

bool allocationAllowed() {
  const uint64_t number = ++allocations;
  uint64_t armed = failAt.load(std::memory_order_relaxed);
  if (armed == 0 || number != armed) return true;
  // Fire once: the allocations of the unwinding and of the next call succeed.
  if (!failAt.compare_exchange_strong(armed, 0)) return true;
  ++failures;
  return false;
}

void noteFailedAllocation() { ++failures; }

void* checkedMalloc(size_t size) {
  if (!allocationAllowed()) return nullptr;
  void* p = std::malloc(size);
  if (!p && size) noteFailedAllocation();
  return p;
}

void* checkedRealloc(void* pointer, size_t size) {
  if (!allocationAllowed()) return nullptr;
  void* p = std::realloc(pointer, size);
  if (!p && size) noteFailedAllocation();
  return p;
}

}  // namespace detail
}  // namespace defocus

namespace {

void* allocate(std::size_t size, std::size_t alignment) {
  if (size == 0) size = 1;
  if (!defocus::detail::allocationAllowed()) return nullptr;
  for (;;) {
    void* p = nullptr;
    if (alignment <= alignof(std::max_align_t)) {
      p = std::malloc(size);
    } else if (posix_memalign(&p, alignment, size) != 0) {
      p = nullptr;
    }
    if (p) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) {
      defocus::detail::noteFailedAllocation();
      return nullptr;
    }
    handler();  // may free memory, or throw
  }
}

void* allocateOrThrow(std::size_t size, std::size_t alignment) {
  void* p = allocate(size, alignment);
  if (!p) throw std::bad_alloc();
  return p;
}

// The nothrow forms: a new_handler that throws must not escape them.
void* allocateOrNull(std::size_t size, std::size_t alignment) noexcept {
  try {
    return allocate(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

void* operator new(std::size_t size) { return allocateOrThrow(size, 0); }
void* operator new[](std::size_t size) { return allocateOrThrow(size, 0); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocateOrNull(size, 0); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocateOrNull(size, 0); }
void* operator new(std::size_t size, std::align_val_t al) { return allocateOrThrow(size, static_cast<std::size_t>(al)); }
void* operator new[](std::size_t size, std::align_val_t al) { return allocateOrThrow(size, static_cast<std::size_t>(al)); }
void* operator new(std::size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return allocateOrNull(size, static_cast<std::size_t>(al));
}
void* operator new[](std::size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return allocateOrNull(size, static_cast<std::size_t>(al));
}

// The matching deletes, replaced too: the library's would pair as well (they call free()), but
// AddressSanitizer sees its own operator delete free memory our new took from malloc and
// reports an alloc-dealloc mismatch (the ASan + UBSan build of tests and fuzzers).
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
