// Out-of-memory as an answer, and the test hook that proves it.
//
// The engine allocates through two doors: Buffer<T> (pixels and bytes; reports failure
// as `false`, callers return ErrorCode::kOutOfMemory; stb's malloc goes the same way) and
// operator new (std::vector, std::string, ...; throws std::bad_alloc). The WebAssembly build has exceptions enabled
// (-fwasm-exceptions), so a failed allocation never aborts the instance: the bindings
// catch std::bad_alloc in one wrapper (bindings/js_values.h, `answer`) and return
// the code "out_of_memory"; C++ callers of the engine catch it themselves.
//
// The hook: failAllocationAfter(n) lets the next n allocations through and fails the one
// after (a null from Buffer, std::bad_alloc from operator new), ONCE; later allocations
// succeed again, as they do after a real failure has unwound and freed its work. Both
// doors count. Single-threaded use (the engine is); the counters are atomics anyway.
//
//   defocus::failAllocationAfter(0);        // the very next allocation fails
//   auto r = defocus::blurImage(image, o);  // -> kOutOfMemory, or std::bad_alloc thrown
//   assert(!defocus::allocationFailurePending());  // it fired
//
// To hit the middle of an operation: count its allocations once with allocationCount()
// before and after, then arm with any n below that count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <stdexcept>

#include "defocus/status.h"

namespace defocus {

// fn()'s Status, or out_of_memory when an allocation inside it throws: std::bad_alloc (the
// heap is full: reason heapFull) or std::length_error (a container past what the address
// space allows: reason tooBig). For the edges an exception must not cross: a thread's entry
// (core/row_runs.cpp) and a binding's call (bindings, `answer`).
template <typename Fn>
Status catchingAllocationFailure(Fn&& fn, const char* heapFull, const char* tooBig) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return {ErrorCode::kOutOfMemory, heapFull};
  } catch (const std::length_error&) {
    return {ErrorCode::kOutOfMemory, tooBig};
  }
}

// Arms the hook: allocations number n+1 from now fails (once). Replaces an earlier arming.
void failAllocationAfter(uint64_t n);

// Disarms a failure that has not happened yet.
void cancelAllocationFailure();

// True while an armed failure is still waiting; false once it fired or was cancelled.
bool allocationFailurePending();

// Allocations made through Buffer, stb and operator new since the process started.
uint64_t allocationCount();

// Allocations that got no memory (the hook's, or a real full heap) since the process
// started: code that calls C libraries which fold out-of-memory into other failures (stb)
// compares this before and after to report kOutOfMemory.
uint64_t failedAllocationCount();

namespace detail {
// Called by every engine allocation before it asks the system: counts it, and returns
// false when the hook says this one must fail.
bool allocationAllowed();
// Counts an allocation the system refused (failedAllocationCount()).
void noteFailedAllocation();
// malloc / realloc through the same door, for C code that takes an allocator (stb).
void* checkedMalloc(size_t size);
void* checkedRealloc(void* pointer, size_t size);
}  // namespace detail

}  // namespace defocus
