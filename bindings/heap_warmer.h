// The heap's pages faulted in ahead of a full-size photo's work, while the browser decodes
// the photo (issue 17: the first photo of a session): on the pool's worker thread in the
// threaded build, in steps the caller takes while it waits in the one-thread build.
//
// WebAssembly memory comes fresh from the kernel, and the first write to each page costs a
// fault: 2-3 ms a MB in the project's 2-core VM. A session's first 12 MP blur() wrote ~340
// MB of new pages in its refine and render, which made that render 1.5x a later one; later
// photos reuse the pages (linear memory never shrinks; malloc hands them out again).
// Warming writes them while the caller's thread awaits the browser's decoder and a core
// would idle. It allocates nothing: it grows the memory and writes the pages past malloc's
// break, where the photo and its work will be allocated next.
#pragma once

#include <cstddef>
#include <cstdint>

namespace defocus_js {

// Starts a warming of the next `bytes` of the heap: the threaded build writes them on a
// thread of its own; the one-thread build only grows the memory, and stepHeapWarming writes
// them. False where the memory cannot grow that far, or (threaded) a warming is still under
// way. Call it only when no other engine thread runs.
bool startHeapWarming(size_t bytes);

// The one-thread build: writes up to `bytes` more of the warming's pages now, on the
// caller's thread; true while pages are left. The threaded build's thread needs no steps:
// false.
bool stepHeapWarming(size_t bytes);

// Whether a warming has pages left to write, and how many bytes of pages it has written.
struct HeapWarming {
  bool running = false;
  uint32_t writtenBytes = 0;
};
HeapWarming heapWarming();

// Stops a warming (the pages not reached stay untouched) and waits for its thread. Called
// before every render and every photo's matte refinement (fullSizeThreads): the thread pool
// has one worker (bindings/CMakeLists.txt), which their second thread needs; in the
// one-thread build, it drops the steps left.
void finishHeapWarming();

}  // namespace defocus_js
