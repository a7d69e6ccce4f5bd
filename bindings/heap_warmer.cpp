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

// The linear memory's size, read from the memory itself: this thread's JS views (behind
// emscripten_get_heap_size) may predate another thread's growth.
uint64_t memorySize() { return uint64_t{__builtin_wasm_memory_size(0)} * 65536; }

std::thread warmer;
std::atomic<bool> stopping{false};
std::atomic<bool> running{false};  // set by the starter, cleared by the warming thread when done

// The pages past malloc's break, where its next growth lands: the linear memory is grown to
// hold them, and each page is written by an atomic add of 0, so that a byte another thread
// has been given and written meanwhile (the photo's pixels) keeps its value. Nothing is
// allocated: the heap's footprint (heapStats().peak) is what the photo's work makes it.
void warm(size_t bytes) {
  const uintptr_t from = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t end = static_cast<uintptr_t>(std::min<uint64_t>(uint64_t{from} + bytes, emscripten_get_heap_max()));
  // A resize fails where another thread grew the memory first (or there is no room): what
  // is there is warmed.
  if (memorySize() < end) emscripten_resize_heap(end);
  const uintptr_t last = static_cast<uintptr_t>(std::min<uint64_t>(end, memorySize()));
  // A zero the compiler cannot see: an add of a known 0 is made a load, which maps the
  // kernel's shared zero page and leaves the real fault to the next write.
  volatile unsigned char opaque = 0;
  const unsigned char zero = opaque;
  for (uintptr_t p = (from + kPage - 1) & ~(kPage - 1); p < last && !stopping.load(std::memory_order_relaxed); p += kPage) {
    __atomic_fetch_add(reinterpret_cast<unsigned char*>(p), zero, __ATOMIC_RELAXED);
  }
  running = false;
}

}  // namespace

bool startHeapWarming(size_t bytes) {
  if (bytes == 0 || running) return false;
  if (warmer.joinable()) warmer.join();  // a warming that is done
  stopping = false, running = true;
  try {
    warmer = std::thread(warm, bytes);
  } catch (const std::exception&) {  // no thread to be had (system_error) or no memory for one
    running = false;
    return false;
  }
  return true;
}

bool heapWarming() { return running; }

void finishHeapWarming() {
  if (!warmer.joinable()) return;
  stopping = true;
  warmer.join();
}

#else  // the one-thread build: no thread to warm on

bool startHeapWarming(size_t) { return false; }
bool heapWarming() { return false; }
void finishHeapWarming() {}

#endif

}  // namespace defocus_js
