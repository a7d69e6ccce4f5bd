// The heap's pages faulted in ahead of a full-size photo's work, on the pool's worker
// thread, while the browser decodes the photo (issue 17: the first photo of a session).
//
// WebAssembly memory comes fresh from the kernel, and the first write to each page costs a
// fault: 2-3 ms a MB in the project's 2-core VM. A session's first 12 MP blur() wrote ~340
// MB of new pages in its refine and render, which made that render 1.5x a later one; later
// photos reuse the pages (linear memory never shrinks; malloc hands them out again).
// Warming writes them while the caller's thread awaits the browser's decoder and the
// second core would idle. It allocates nothing: it grows the memory and writes the pages
// past malloc's break, where the photo and its work will be allocated next.
#pragma once

#include <cstddef>
#include <cstdint>

namespace defocus_js {

// Starts writing the next `bytes` of the heap on a thread of its own. False where there
// is none (the one-thread build), the memory cannot grow that far, or a warming is still
// under way. Call it only when no other engine thread runs.
bool startHeapWarming(size_t bytes);

// Whether a warming is still writing pages, and how many bytes of pages it has written.
struct HeapWarming {
  bool running = false;
  uint32_t writtenBytes = 0;
};
HeapWarming heapWarming();

// Stops a warming (the pages not reached stay untouched) and waits for its thread. Called
// before every render: the thread pool has one worker (bindings/CMakeLists.txt), which the
// render's second thread needs.
void finishHeapWarming();

}  // namespace defocus_js
