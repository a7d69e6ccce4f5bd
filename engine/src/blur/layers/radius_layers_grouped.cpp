#include "blur/layers/radius_layers_grouped.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>

#include "defocus/blur.h"
#include "defocus/buffer.h"
#include "defocus/lens_blur.h"
#include "core/plane_ops.h"

namespace defocus {
namespace {

using LayerWeight = RadiusLayers::Hat;

// Rows ya..yb of a map: per row the runs of columns where the weight is above zero and the
// pixel is needed (needed: nullptr, all are). Runs closer than kJoin columns are joined: a
// run costs a fixed setup per kernel span.
constexpr int kJoin = 32;

LayerRanges rangesOf(const float* map, const uint8_t* needed, int width, int height, int ya, int yb,
                     const LayerWeight& weight) {
  LayerRanges r;
  r.start.assign(height + 1, 0);
  r.y0 = height;
  for (int y = 0; y < height; ++y) {
    r.start[y] = static_cast<int>(r.runs.size());
    if (y < ya || y > yb) continue;
    const float* row = map + static_cast<size_t>(y) * width;
    const uint8_t* use = needed ? needed + static_cast<size_t>(y) * width : nullptr;
    const auto wanted = [&](int x) { return weight(row[x]) > 0 && (!use || use[x]); };
    for (int x = 0; x < width;) {
      while (x < width && !wanted(x)) ++x;
      if (x == width) break;
      const int x0 = x;
      while (x < width && wanted(x)) ++x;
      if (r.start[y] < static_cast<int>(r.runs.size()) && x0 - r.runs.back().x1 <= kJoin) {
        r.runs.back().x1 = x - 1;
      } else {
        r.runs.push_back({x0, x - 1});
      }
    }
    if (r.start[y] < static_cast<int>(r.runs.size())) r.y0 = std::min(r.y0, y), r.y1 = y;
  }
  r.start[height] = static_cast<int>(r.runs.size());
  return r;
}

bool empty(const LayerRanges& r) { return r.y1 < r.y0; }

// The cells of a reduced grid that some needed full pixel's interpolation reads: full
// pixel (x, y) reads cells firstX[x] .. + 3 by firstY[y] .. + 3 (clamped to the grid).
// (neededRuns: the runs of needed pixels per row, found once for every group.)
std::vector<uint8_t> neededCells(const LayerRanges& neededRuns, int height, const CoarseGrid& grid, const int* firstX,
                                 const int* firstY) {
  const int gw = grid.width, gh = grid.height;
  std::vector<uint8_t> cells(grid.size(), 0);
  for (int y = 0; y < height; ++y) {
    for (int k = neededRuns.start[y]; k < neededRuns.start[y + 1]; ++k) {  // each run marks one span of cells
      const int i0 = std::clamp(firstX[neededRuns.runs[k].x0], 0, gw - 1);
      const int i1 = std::clamp(firstX[neededRuns.runs[k].x1] + 3, 0, gw - 1);
      for (int q = 0; q < 4; ++q) {
        uint8_t* row = cells.data() + static_cast<size_t>(std::clamp(firstY[y] + q, 0, gh - 1)) * gw;
        std::fill(row + i0, row + i1 + 1, uint8_t{1});
      }
    }
  }
  return cells;
}

// Adds weight(map) * value (value nullptr: the weight itself) into out over the ranges.
// out holds the rows from outRow on (the ranges' rows are among them).
void addWeighted(const float* value, const float* map, const LayerWeight& weight, int width, const LayerRanges& r,
                 float* out, int outRow = 0) {
  for (int y = r.y0; y <= r.y1; ++y) {
    float* o = out + static_cast<ptrdiff_t>(y - outRow) * width;
    const float* m = map + static_cast<size_t>(y) * width;
    const float* v = value ? value + static_cast<size_t>(y) * width : nullptr;
    for (int k = r.start[y]; k < r.start[y + 1]; ++k) {
      const int a = r.runs[k].x0, b = r.runs[k].x1 + 1;
      if (!v) {
        for (int x = a; x < b; ++x) o[x] += weight(m[x]);
      } else {
        for (int x = a; x < b; ++x) o[x] += weight(m[x]) * v[x];
      }
    }
  }
}

// Where a group's coarse sum can be non-zero, at full resolution: per full row y0..y1 the
// runs of columns whose interpolation reads a cell some layer's ranges cover. Full column
// x reads cells firstX[x] .. + 3, row y cells firstY[y] .. + 3 (clamped to the grid).
LayerRanges interpolationRuns(const std::vector<LayerRanges>& coarse, const CoarseGrid& grid, const int* firstX,
                              int width, const int* firstY, int height, int y0, int y1) {
  const int gw = grid.width, gh = grid.height;
  std::vector<int> from(gw), to(gw);  // the full columns that read coarse column i
  for (int i = 0, x = 0; i < gw; ++i) {
    while (x < width - 1 && firstX[x] + 3 < i) ++x;
    from[i] = i == 0 ? 0 : x;
  }
  for (int i = gw - 1, x = width - 1; i >= 0; --i) {
    while (x > 0 && firstX[x] > i) --x;
    to[i] = i == gw - 1 ? width - 1 : x;
  }
  std::vector<std::vector<LayerRanges::Run>> byCoarseRow(gh);
  for (const LayerRanges& r : coarse) {
    for (int j = r.y0; j <= r.y1; ++j) {
      for (int k = r.start[j]; k < r.start[j + 1]; ++k) byCoarseRow[j].push_back({from[r.runs[k].x0], to[r.runs[k].x1]});
    }
  }
  LayerRanges out;
  out.start.assign(height + 1, 0);
  out.y0 = height;
  std::vector<LayerRanges::Run> row;
  for (int y = 0; y < height; ++y) {
    out.start[y] = static_cast<int>(out.runs.size());
    if (y < y0 || y > y1) continue;
    row.clear();
    for (int q = 0, last = -1; q < 4; ++q) {
      const int j = std::clamp(firstY[y] + q, 0, gh - 1);
      if (j != last) row.insert(row.end(), byCoarseRow[j].begin(), byCoarseRow[j].end());
      last = j;
    }
    std::sort(row.begin(), row.end(), [](const LayerRanges::Run& a, const LayerRanges::Run& b) { return a.x0 < b.x0; });
    for (const LayerRanges::Run& run : row) {
      if (static_cast<int>(out.runs.size()) > out.start[y] && run.x0 <= out.runs.back().x1 + kJoin) {
        out.runs.back().x1 = std::max(out.runs.back().x1, run.x1);
      } else {
        out.runs.push_back(run);
      }
    }
    if (static_cast<int>(out.runs.size()) > out.start[y]) out.y0 = std::min(out.y0, y), out.y1 = y;
  }
  out.start[height] = static_cast<int>(out.runs.size());
  return out;
}

struct Group {
  std::vector<size_t> layers;
  int y0 = 1 << 30, y1 = -1;  // full rows any of them is used on
};

// What every group adds into: the weighted layers in `out`, their weights in `total`.
struct Blend {
  const ImagePlanar& source;
  const float* map;
  const RadiusLayers& layers;
  GroupedLayerStyle& style;
  ImagePlanar& out;  // rows [outFrom, outTo] of the result (and total alike)
  int outFrom, outTo;
  float* total;
  int planes() const { return source.channels + 1; }  // the last one: the weights alone
  float* plane(int c) const { return c < source.channels ? out.plane(c) : total; }
  // Rows [y0, y1] cut to the rows made.
  int first(int y0) const { return std::max(y0, outFrom); }
  int last(int y1) const { return std::min(y1, outTo); }
};

const Status kOutOfMemory{ErrorCode::kOutOfMemory, "out of memory for the variable blur"};

// The sharp layer (radius 0): the source itself.
void addSharpLayer(const Blend& b, const Group& group) {
  const int w = b.source.width, h = b.source.height;
  const LayerWeight weight = b.layers.hat(group.layers[0]);
  const LayerRanges r = rangesOf(b.map, b.layers.needed(), w, h, b.first(group.y0), b.last(group.y1), weight);
  for (int c = 0; c < b.planes(); ++c) {
    addWeighted(c < b.source.channels ? b.source.plane(c) : nullptr, b.map, weight, w, r, b.plane(c), b.outFrom);
  }
}

// Layers at full resolution: each blurred and weighted where it is used.
Status addFullResolutionGroup(const Blend& b, const Group& group) {
  const int w = b.source.width, h = b.source.height;
  Buffer<float> blurred;
  if (!blurred.resize(b.source.planeSize())) return kOutOfMemory;
  std::vector<LayerRanges> ranges;
  for (size_t k : group.layers) {
    ranges.push_back(rangesOf(b.map, b.layers.needed(), w, h, b.first(b.layers.box(k).y0), b.last(b.layers.box(k).y1),
                              b.layers.hat(k)));
  }
  for (int c = 0; c < b.source.channels; ++c) {
    for (size_t i = 0; i < group.layers.size(); ++i) {
      const size_t k = group.layers[i];
      if (empty(ranges[i])) continue;
      Status ok = b.style.blurPlane(b.source.plane(c), w, h, b.layers.radius(k), 1, ranges[i], blurred.data());
      if (!ok.ok()) return ok;
      addWeighted(blurred.data(), b.map, b.layers.hat(k), w, ranges[i], b.out.plane(c), b.outFrom);
    }
  }
  for (size_t i = 0; i < group.layers.size(); ++i) {
    addWeighted(nullptr, b.map, b.layers.hat(group.layers[i]), w, ranges[i], b.total, b.outFrom);
  }
  return Status::success();
}

// Each reduced group's planes (colour, then the map) by factor, kept while a group of twice
// the factor may still reduce from them rather than from full resolution.
using ReducedPlanes = std::map<int, std::vector<Buffer<float>>>;

// Layers on the grid reduced by `factor` (f x f blocks, 2 f pixels of edge beyond the
// image): the source and map reduced once, each layer blurred and weighted there, their sum
// brought back to full resolution once. neededRuns: the needed pixels, when there is a mask.
Status addReducedGroup(const Blend& b, int factor, const Group& group, const LayerRanges& neededRuns,
                       ReducedPlanes& reducedBy) {
  const int w = b.source.width, h = b.source.height;
  const CoarseGrid grid = boxReduceGrid(w, h, factor, 2 * factor);
  const int gw = grid.width, gh = grid.height;
  // Catmull-Rom taps: full row y reads coarse rows firstY[y] .. + 3, column x firstX[x] .. + 3.
  std::vector<int> firstY(h), firstX(w);
  std::vector<float> weightsY(static_cast<size_t>(h) * 4), weightsX(static_cast<size_t>(w) * 4);
  catmullRomWeights(h, grid.originY, grid.step, firstY.data(), weightsY.data());
  catmullRomWeights(w, grid.originX, grid.step, firstX.data(), weightsX.data());
  const auto coarseRows = [&](int y0, int y1, int* j0, int* j1) {
    *j0 = std::clamp(firstY[y0], 0, gh - 1), *j1 = std::clamp(firstY[y1] + 3, 0, gh - 1);
  };
  // Full rows made, and the coarse rows they read.
  const int yA = b.first(group.y0), yB = b.last(group.y1);
  if (yA > yB) return Status::success();
  int j0 = 0, j1 = 0;
  coarseRows(yA, yB, &j0, &j1);
  Buffer<float> gathered, sum, rows;
  if (!gathered.resize(grid.size()) || !sum.resize(grid.size()) || !rows.resize(static_cast<size_t>(j1 - j0 + 1) * w)) {
    return kOutOfMemory;
  }
  // The reduced planes: from the group of half this factor when there is one (2 x 2 cells).
  reducedBy.erase(reducedBy.begin(), reducedBy.lower_bound(factor / 2));  // no later group halves these
  std::vector<Buffer<float>>& reduced = reducedBy[factor];
  reduced.resize(b.planes());
  const auto finer = reducedBy.find(factor / 2);
  const bool halve = factor % 2 == 0 && finer != reducedBy.end();
  Buffer<float> scratch;
  if (!halve && !scratch.resize(boxReduceScratch(w, grid))) return kOutOfMemory;
  for (int c = 0; c < b.planes(); ++c) {
    if (!reduced[c].resize(grid.size())) return kOutOfMemory;
    if (halve) {
      boxHalve(finer->second[c].data(), boxReduceGrid(w, h, factor / 2, factor), grid, reduced[c].data());
    } else {
      boxReduce(c < b.source.channels ? b.source.plane(c) : b.map, w, h, grid, reduced[c].data(), scratch.data());
    }
  }
  const float* coarseMap = reduced[b.source.channels].data();
  std::vector<uint8_t> cells;
  if (b.layers.needed()) cells = neededCells(neededRuns, h, grid, firstX.data(), firstY.data());
  std::vector<LayerRanges> ranges;  // per layer of the group, on the coarse grid
  for (size_t k : group.layers) {
    int k0 = 0, k1 = 0;
    coarseRows(b.layers.box(k).y0, b.layers.box(k).y1, &k0, &k1);
    k0 = std::max(k0, j0), k1 = std::min(k1, j1);  // the cells the rows made read
    ranges.push_back(rangesOf(coarseMap, cells.empty() ? nullptr : cells.data(), gw, gh, k0, k1, b.layers.hat(k)));
  }
  // Brought back to full resolution only where the sum can be non-zero.
  const LayerRanges back = interpolationRuns(ranges, grid, firstX.data(), w, firstY.data(), h, yA, yB);
  if (empty(back)) return Status::success();  // every layer of the group is hidden
  std::vector<uint8_t> coarseRowRead(gh, 0);
  for (int y = back.y0; y <= back.y1; ++y) {
    if (back.start[y] == back.start[y + 1]) continue;
    for (int q = 0; q < 4; ++q) coarseRowRead[std::clamp(firstY[y] + q, 0, gh - 1)] = 1;
  }
  RowInterpolator across(grid, w);
  for (int c = 0; c < b.planes(); ++c) {
    const bool weightsOnly = c == b.source.channels;
    std::fill(sum.data() + static_cast<size_t>(j0) * gw, sum.data() + static_cast<size_t>(j1 + 1) * gw, 0.0f);
    for (size_t i = 0; i < group.layers.size(); ++i) {
      const size_t k = group.layers[i];
      if (empty(ranges[i])) continue;
      if (!weightsOnly) {
        Status ok = b.style.blurPlane(reduced[c].data(), gw, gh, b.layers.radius(k), factor, ranges[i], gathered.data());
        if (!ok.ok()) return ok;
      }
      addWeighted(weightsOnly ? nullptr : gathered.data(), coarseMap, b.layers.hat(k), gw, ranges[i], sum.data());
    }
    // Back to full resolution on the runs: along x per coarse row read, then along y.
    for (int j = j0; j <= j1; ++j) {
      if (coarseRowRead[j]) across.run(sum.data() + static_cast<size_t>(j) * gw, rows.data() + static_cast<size_t>(j - j0) * w);
    }
    for (int y = back.y0; y <= back.y1; ++y) {
      const float* t = &weightsY[static_cast<size_t>(y) * 4];
      const float* r[4];
      for (int q = 0; q < 4; ++q) r[q] = rows.data() + static_cast<size_t>(std::clamp(firstY[y] + q, 0, gh - 1) - j0) * w;
      float* dst = b.plane(c) + static_cast<size_t>(y - b.outFrom) * w;
      for (int k = back.start[y]; k < back.start[y + 1]; ++k) {
        for (int x = back.runs[k].x0; x <= back.runs[k].x1; ++x) {
          dst[x] += t[0] * r[0][x] + t[1] * r[1][x] + t[2] * r[2][x] + t[3] * r[3][x];
        }
      }
    }
  }
  return Status::success();
}

}  // namespace

Status blendGroupedLayers(const ImagePlanar& source, const float* map, const RadiusLayers& layers,
                          GroupedLayerStyle& style, ImagePlanar& out, int outFrom) {
  const int w = source.width, h = source.height;
  if (out.width != w || outFrom < 0 || outFrom + out.height > h) return invalidArgument("the rows made must be inside the source");
  std::map<int, Group> groups;  // by reduction factor; 0: the sharp layer (radius 0)
  for (size_t k = 0; k < layers.size(); ++k) {
    if (!layers.used(k)) continue;
    Group& g = groups[layers.radius(k) <= 0 ? 0 : std::max(1, style.factor(layers.radius(k)))];
    g.layers.push_back(k);
    g.y0 = std::min(g.y0, layers.box(k).y0), g.y1 = std::max(g.y1, layers.box(k).y1);
  }
  Buffer<float> total;  // the sum of the weights every pixel made received
  if (!total.resize(out.planeSize())) return kOutOfMemory;
  std::fill(total.data(), total.data() + total.size(), 0.0f);
  const Blend blend{source, map, layers, style, out, outFrom, outFrom + out.height - 1, total.data()};
  // The needed pixels' runs (a weight that is 1 at every radius; gaps under kJoin joined).
  LayerRanges neededRuns;
  if (layers.needed()) neededRuns = rangesOf(map, layers.needed(), w, h, 0, h - 1, LayerWeight{0, 0, 0});
  ReducedPlanes reducedBy;
  for (const auto& [factor, group] : groups) {
    Status ok = Status::success();
    if (factor == 0) {
      addSharpLayer(blend, group);
    } else if (factor == 1) {
      ok = addFullResolutionGroup(blend, group);
    } else {
      ok = addReducedGroup(blend, factor, group, neededRuns, reducedBy);
    }
    if (!ok.ok()) return ok;
  }
  // Normalised on the rows that hold a needed pixel: the others may keep any finite value
  // (a strip's halo rows, two thirds of a 48 MP strip).
  int y0 = 0, y1 = h - 1;
  if (layers.needed()) y0 = neededRuns.y0, y1 = neededRuns.y1;
  y0 = blend.first(y0), y1 = blend.last(y1);
  const size_t from = static_cast<size_t>(y0 - outFrom) * w, to = y1 >= y0 ? static_cast<size_t>(y1 + 1 - outFrom) * w : from;
  for (int c = 0; c < source.channels; ++c) {
    float* o = out.plane(c);
    for (size_t i = from; i < to; ++i) o[i] /= std::max(total[i], 1e-3f);  // about 1 everywhere
  }
  return Status::success();
}

Result<ImagePlanar> blurVariableOnGroupedLayers(const ImagePlanar& linear, const float* map, const BlurOptions& o,
                                                float ratio, GroupedLayerStyle& style, const uint8_t* needed,
                                                RowRange rows, float top) {
  RadiusLayers layers;
  std::string reason;
  if (!layers.plan(map, linear.width, linear.height, kMaxLensRadius, ratio, &reason, needed, top)) {
    return Status{ErrorCode::kInvalidArgument, reason};
  }
  if (layers.constant()) return blurLinearAtRadius(linear, layers.radius(0), o);
  int from = 0;
  Result<ImagePlanar> out = zeroedRowsOf(linear, rows, &from);
  if (!out.ok()) return out;
  Status blended = blendGroupedLayers(linear, map, layers, style, out.value(), from);
  if (!blended.ok()) return blended;
  return out;
}

}  // namespace defocus
