#include "heap_warmer.h"

#include <emscripten/heap.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>

namespace defocus_js {

#ifdef __EMSCRIPTEN_PTHREADS__
namespace {

constexpr uintptr_t kPage = 4096;  // the kernel's page, not WebAssembly's 64 KB one

std::thread warmer;
std::atomic<bool> stopping{false};
std::atomic<bool> running{false};  // set by the starter, cleared by the warming thread when done
std::atomic<uint32_t> written{0};  // bytes the last warming has written

// Pages [from, end) written one byte each by an atomic add of 0: a byte another thread has
// been given and written meanwhile (the photo's pixels) keeps its value, as the add is
// indivisible. The zero is one the compiler cannot see: clang makes an add of a known 0 a
// load, which only maps the kernel's shared zero page and leaves the fault to the next write.
void warm(uintptr_t from, uintptr_t end) {
  volatile unsigned char opaque = 0;
  const unsigned char zero = opaque;
  for (uintptr_t p = (from + kPage - 1) & ~(kPage - 1); p < end && !stopping.load(std::memory_order_relaxed); p += kPage) {
    __atomic_fetch_add(reinterpret_cast<unsigned char*>(p), zero, __ATOMIC_RELAXED);
    written.fetch_add(kPage, std::memory_order_relaxed);
  }
  running = false;
}

}  // namespace

bool startHeapWarming(size_t bytes) {
  if (bytes == 0 || running) return false;
  if (warmer.joinable()) warmer.join();  // a warming that is done
  // The pages past malloc's break, where its next growth lands. The memory is grown here,
  // on the caller's thread, while no other engine thread allocates: sbrk gives up when
  // another thread grows the memory between its size check and its own growth.
  const uintptr_t from = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t end = static_cast<uintptr_t>(std::min<uint64_t>(uint64_t{from} + bytes, emscripten_get_heap_max()));
  if (emscripten_get_heap_size() < end && !emscripten_resize_heap(end)) return false;  // no room: nothing to warm
  stopping = false;
  running = true;
  written = 0;
  try {
    warmer = std::thread(warm, from, end);
  } catch (const std::exception&) {  // no thread to be had (system_error) or no memory for one
    running = false;
    return false;
  }
  return true;
}

HeapWarming heapWarming() { return {running, written}; }

void finishHeapWarming() {
  if (!warmer.joinable()) return;
  stopping = true;
  warmer.join();
}

#else  // the one-thread build: no thread to warm on

bool startHeapWarming(size_t) { return false; }
HeapWarming heapWarming() { return {}; }
void finishHeapWarming() {}

#endif

}  // namespace defocus_js
