// The engine as a running instance: warm-up, sRGB <-> linear helpers, heap statistics and
// the allocation-failure hooks the memory tests drive.
#include <malloc.h>

#include <algorithm>
#include <cstdint>

#include "defocus/allocation_failure.h"
#include "defocus/color.h"
#include "defocus/warm_up.h"
#include "heap_warmer.h"
#include "js_values.h"

namespace defocus_js {

namespace {

val warmUp() {
  defocus::Status ok = defocus::warmUp();
  return ok.ok() ? val::object() : failure(ok);
}

val srgbToLinear(const val& encoded) {
  defocus::Bytes in;
  defocus::Buffer<float> out;
  if (!copyIn(encoded, in) || !out.resize(in.size())) return outOfMemoryCopying();
  defocus::srgb8ToLinear(in.data(), out.data(), in.size());
  return copyOut(out.data(), out.size());
}

val linearToSrgb(const val& linear) {
  defocus::Buffer<float> in;
  defocus::Bytes out;
  if (!copyIn(linear, in) || !out.resize(in.size())) return outOfMemoryCopying();
  defocus::linearToSrgb8(in.data(), out.data(), in.size());
  return copyOut(out.data(), out.size());
}

// For leak and memory tests: the size of linear memory, the bytes malloc has handed out and
// the most it ever held, as doubles. The heap's size is read in JS (a 4 GB heap is 0 in wasm32's size_t);
// mallinfo's fields are `int` in Emscripten's header (dlmalloc fills them from size_t)
// and read negative above 2 GB, so `allocated` is taken back as unsigned 32-bit.
val heapStats() {
  val out = val::object();
  out.set("heapSize", val::module_property("HEAPU8")["length"]);
  const struct mallinfo info = mallinfo();
  out.set("allocated", static_cast<double>(static_cast<uint32_t>(info.uordblks)));
  // dlmalloc's max_footprint: the most memory malloc ever held from the heap, the engine's
  // high-water mark (linear memory never shrinks, so this is what a photo costs).
  out.set("peak", static_cast<double>(static_cast<uint32_t>(info.usmblks)));
  return out;
}

// heap_warmer.h, for JS, whose byte counts come as doubles (wasm32's size_t is 32 bits).
size_t byteCount(double bytes) { return static_cast<size_t>(std::clamp(bytes, 0.0, 4294967295.0)); }
bool warmHeap(double bytes) { return startHeapWarming(byteCount(bytes)); }
bool stepWarming(double bytes) { return stepHeapWarming(byteCount(bytes)); }
val warming() {
  const HeapWarming w = heapWarming();
  val out = val::object();
  out.set("running", w.running);
  out.set("writtenBytes", static_cast<double>(w.writtenBytes));
  return out;
}

// The allocation-failure hook of engine/include/defocus/allocation_failure.h, for tests:
// failAllocationAfter(n) fails the (n+1)-th allocation from now, once.
void failAllocationAfter(double n) { defocus::failAllocationAfter(static_cast<uint64_t>(std::max(0.0, n))); }
void cancelAllocationFailure() { defocus::cancelAllocationFailure(); }
bool allocationFailurePending() { return defocus::allocationFailurePending(); }
double allocationCount() { return static_cast<double>(defocus::allocationCount()); }

}  // namespace

}  // namespace defocus_js

EMSCRIPTEN_BINDINGS(defocus_runtime) {
  using namespace defocus_js;
  emscripten::function("srgbToLinear", exported<&srgbToLinear>);
  emscripten::function("warmUp", exported<&warmUp>);
  emscripten::function("linearToSrgb", exported<&linearToSrgb>);
  emscripten::function("heapStats", &heapStats);
  emscripten::function("warmHeap", &warmHeap);
  emscripten::function("heapWarming", &warming);
  emscripten::function("stepHeapWarming", &stepWarming);
  emscripten::function("failAllocationAfter", &failAllocationAfter);
  emscripten::function("cancelAllocationFailure", &cancelAllocationFailure);
  emscripten::function("allocationFailurePending", &allocationFailurePending);
  emscripten::function("allocationCount", &allocationCount);
}
