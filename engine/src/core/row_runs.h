// Rows [0, height) shared out among threads: each thread takes a run of consecutive steps
// (a render's strips, a matte's rows), so the work of one step can still serve the next,
// with scratch of its own, and writes only its own rows of the output.
#pragma once

#include <functional>

#include "defocus/status.h"

namespace defocus {

// Calls run(from, to) for runs of row starts [from, to) covering rows [0, height) in
// steps of stepRows: up to `threads` runs of about as many steps each, the first on the
// calling thread, the others on threads of their own; returns the first failure. A failed
// allocation inside a run (bad_alloc, length_error) becomes out_of_memory with the reason
// outOfMemory, never an escape from a thread; when a thread cannot be started (a WebAssembly
// build without threads), its run is done on the calling thread afterwards.
Status runRowRuns(int height, int stepRows, int threads, const char* outOfMemory,
                  const std::function<Status(int from, int to)>& run);

}  // namespace defocus
