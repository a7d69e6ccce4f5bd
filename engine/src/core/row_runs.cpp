#include "core/row_runs.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

#include "defocus/allocation_failure.h"

namespace defocus {
namespace {

// A run as a Status whatever it allocates: an exception must not leave a thread (that would
// end the process) nor unwind the caller while other threads still write the output.
Status guarded(const std::function<Status(int, int)>& run, int from, int to, const char* outOfMemory) {
  return catchingAllocationFailure([&] { return run(from, to); }, outOfMemory, outOfMemory);
}

}  // namespace

Status runRowRuns(int height, int stepRows, int threads, const char* outOfMemory,
                  const std::function<Status(int, int)>& run) {
  const int strips = (height + stepRows - 1) / stepRows;
  const int runs = std::clamp(threads, 1, std::max(1, strips));
  if (runs == 1) return run(0, height);  // the caller's own exceptions, as before threads
  // Run k starts at strip k * strips / runs.
  const auto startOf = [&](int k) { return std::min(height, static_cast<int>(static_cast<long long>(k) * strips / runs) * stepRows); };
  std::vector<Status> results(runs, Status::success());
  std::vector<std::thread> workers;
  std::vector<int> notStarted;
  workers.reserve(runs - 1);
  for (int k = 1; k < runs; ++k) {
    try {
      workers.emplace_back([&, k] { results[k] = guarded(run, startOf(k), startOf(k + 1), outOfMemory); });
    } catch (const std::exception&) {  // system_error: no threads here
      notStarted.push_back(k);
    }
  }
  results[0] = guarded(run, startOf(0), startOf(1), outOfMemory);
  for (std::thread& t : workers) t.join();
  for (int k : notStarted) results[k] = guarded(run, startOf(k), startOf(k + 1), outOfMemory);
  for (const Status& s : results) {
    if (!s.ok()) return s;
  }
  return Status::success();
}

}  // namespace defocus
