#include "heap_warmer.h"

#include <emscripten/heap.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <thread>

namespace defocus_js {
namespace {

constexpr uintptr_t kPage = 4096;  // the kernel's page, not WebAssembly's 64 KB one
constexpr uintptr_t pageUp(uintptr_t address) { return (address + kPage - 1) & ~(kPage - 1); }

std::atomic<bool> stopping{false};
std::atomic<bool> running{false};  // pages are left to write (and, threaded, the thread runs)
std::atomic<uint32_t> written{0};  // bytes the last warming has written
uintptr_t bottom = 0;              // the warming's lowest page
uintptr_t cursor = 0;              // its pages from here up are written: it goes top down

// Pages below `cursor`, down to `bottom`, written one byte each by an atomic add of 0, until
// `budget` bytes or a stop. A byte another thread has been given and written meanwhile (the
// photo's pixels) keeps its value, as the add is indivisible. The zero is one the compiler
// cannot see: clang makes an add of a known 0 a load, which only maps the kernel's shared
// zero page and leaves the fault to the next write. Top down, so that a warming cut short
// (by a render, or by the decode it overlaps ending) has written the pages used last, the
// render's, rather than the photo's, which its decode writes anyway.
void writePagesDown(size_t budget) {
  volatile unsigned char opaque = 0;
  const unsigned char zero = opaque;
  for (; cursor > bottom && budget >= kPage && !stopping.load(std::memory_order_relaxed); budget -= kPage) {
    cursor -= kPage;
    __atomic_fetch_add(reinterpret_cast<unsigned char*>(cursor), zero, __ATOMIC_RELAXED);
    written.fetch_add(kPage, std::memory_order_relaxed);
  }
  if (cursor <= bottom) running = false;
}

// The `bytes` past malloc's break, where its next growth lands, with the memory grown to hold
// them (on the caller's thread, while no other engine thread allocates: sbrk gives up when
// another thread grows the memory between its size check and its own growth). False when
// the memory cannot grow that far.
bool prepare(size_t bytes) {
  const uintptr_t from = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t end = static_cast<uintptr_t>(std::min<uint64_t>(uint64_t{from} + bytes, emscripten_get_heap_max()));
  if (emscripten_get_heap_size() < end && !emscripten_resize_heap(end)) return false;
  bottom = pageUp(from);
  cursor = std::max(bottom, pageUp(end));  // the top page's base is below `end`
  stopping = false;
  written = 0;
  running = cursor > bottom;
  return running;
}

}  // namespace

#ifdef __EMSCRIPTEN_PTHREADS__
namespace {
std::thread warmer;
}  // namespace

bool startHeapWarming(size_t bytes) {
  if (bytes == 0 || running) return false;
  if (warmer.joinable()) warmer.join();  // a warming that is done
  if (!prepare(bytes)) return false;
  try {
    warmer = std::thread([] {
      writePagesDown(std::numeric_limits<size_t>::max());
      running = false;  // done, or stopped
    });
  } catch (const std::exception&) {  // no thread to be had (system_error) or no memory for one
    running = false;
    return false;
  }
  return true;
}

bool stepHeapWarming(size_t) { return false; }  // the thread needs no steps

void finishHeapWarming() {
  if (!warmer.joinable()) return;
  stopping = true;
  warmer.join();
}

#else  // the one-thread build: the caller writes the pages in steps, while it waits

bool startHeapWarming(size_t bytes) { return bytes > 0 && prepare(bytes); }  // replaces one not finished

bool stepHeapWarming(size_t bytes) {
  if (running) writePagesDown(bytes);
  return running;
}

void finishHeapWarming() { running = false; }

#endif

HeapWarming heapWarming() { return {running, written}; }

}  // namespace defocus_js
