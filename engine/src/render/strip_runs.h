// A full-size render's strips shared out among threads: each thread takes a run of
// consecutive strips (so rows one strip made still serve the next) with working planes of
// its own, and writes only its strips' rows of the output.
#pragma once

#include <functional>

#include "defocus/status.h"

namespace defocus {

// Calls run(from, to) for runs of strip starts [from, to) covering rows [0, height) in
// steps of stripRows: up to `threads` runs of about as many strips each, the first on the
// calling thread, the others on threads of their own; returns the first failure. A failed
// allocation inside a run (bad_alloc, length_error) becomes out_of_memory, never an escape
// from a thread; when a thread cannot be started (a WebAssembly build without threads),
// its run is done on the calling thread afterwards.
Status renderStripRuns(int height, int stripRows, int threads, const std::function<Status(int from, int to)>& run);

}  // namespace defocus
