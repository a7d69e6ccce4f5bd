#include "defocus/subject_fusion.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "defocus/resample.h"
#include "matte/part_colour.h"
#include "matte/regions.h"

namespace defocus {
namespace {

constexpr float kThreshold = 0.5f;
// People are found at a lower threshold: at 0.5 a person often falls apart into a torso and
// "other" small regions (an arm, the legs), which would then be cut as background people.
constexpr float kPersonThreshold = 0.3f;
// Kept regions are grown by this many map pixels before cutting, so their soft edges
// (values between 0.5 and 0) survive the cut: 2 px of a 320 map is U2-Net's edge ramp.
constexpr int kEdgeGrow = 2;
// Height over width (photo pixels) from which a person region stands upright.
constexpr float kUpright = 0.98f;
// A person region over more than this fraction of the frame must be agreed on for at least
// kOverreachAgreed of its area (a head-and-shoulders portrait: 0.98).
constexpr float kOverreachArea = 0.6f, kOverreachAgreed = 0.8f;
// A person-only area (the object model says background) is the person's when the person
// model's mean over it is at least this.
constexpr float kSurePerson = 0.7f;
// A subject smaller than this fraction of the frame is too small to be "the subject".
// The colour rule (decideByColour): how far around a part the sure person and the people's
// interior are sampled (map pixels), how deep the interior starts, the fewest pixels that
// make a sample (the interior's more: beside a beam's far end 27 interior pixels were all
// beam the person model claims), and the share of the part's pixels of a person colour
// from which it looks like the person.
constexpr int kSureReach = 6, kInsideReach = 12, kColourInside = 3, kColourSample = 20, kInsideSample = 50;
constexpr float kLikePerson = 0.5f;
constexpr float kTinySubject = 0.001f, kSmallSubject = 0.005f;

// 0..1, and NaN (a broken model output) to 0.
float clamp01(float v) { return !(v > 0) ? 0 : (v > 1 ? 1 : v); }

// How sure a map is of a subject whose regions are `keep`: the mean of the map over them,
// from 0.5 (undecided) to 1 (certain), times a ramp that refuses specks.
float confidenceOf(const std::vector<Region>& regions, const std::vector<int>& keep, size_t pixels) {
  double area = 0, sum = 0;
  for (int k : keep) area += regions[k].area, sum += regions[k].sum;
  if (area <= 0) return 0;
  const float sure = clamp01(2 * static_cast<float>(sum / area) - 1);
  const float fraction = static_cast<float>(area / pixels);
  const float size = clamp01((fraction - kTinySubject) / (kSmallSubject - kTinySubject));
  return sure * size;
}

// Main region (largest area x mean) and the others at least groupSize of its area.
std::vector<int> mainGroup(const std::vector<Region>& regions, const std::vector<int>& candidates, float groupSize) {
  int main = -1;
  double best = 0;
  for (int k : candidates) {
    if (regions[k].sum > best) best = regions[k].sum, main = k;
  }
  std::vector<int> keep;
  if (main < 0) return keep;
  for (int k : candidates) {
    if (regions[k].area >= groupSize * regions[main].area) keep.push_back(k);
  }
  return keep;
}

void setBox(FoundSubject& found, const std::vector<Region>& regions, const std::vector<int>& keep, int w, int h) {
  int l = w, t = h, r = -1, b = -1;
  for (int k : keep) {
    l = std::min(l, regions[k].left), t = std::min(t, regions[k].top);
    r = std::max(r, regions[k].right), b = std::max(b, regions[k].bottom);
  }
  if (r < 0) return;
  found.left = float(l) / w, found.top = float(t) / h, found.right = float(r + 1) / w, found.bottom = float(b + 1) / h;
}

std::vector<uint8_t> maskOf(const Regions& found, const std::vector<int>& keep) {
  std::vector<uint8_t> isKept(found.regions.size(), 0), mask(found.label.size(), 0);
  for (int k : keep) isKept[k] = 1;
  for (size_t i = 0; i < mask.size(); ++i) mask[i] = found.label[i] >= 0 && isKept[found.label[i]];
  return mask;
}

// cutStray: everything farther than kEdgeGrow from the kept regions is 0 (the finder's
// object subject: the other brushes of a jar left at 0.2-0.4 alpha are ghosts); a single
// model chosen alone keeps its map as it is.
Result<FoundSubject> single(const ImagePlanar& map, SubjectKind kind, const FusionOptions& o, bool cutStray = false) {
  FoundSubject found;
  auto copy = copyPlanes(map);
  if (!copy.ok()) return copy.status();
  found.probability = copy.take();
  for (size_t i = 0; i < map.planeSize(); ++i) found.probability.plane(0)[i] = clamp01(found.probability.plane(0)[i]);
  const Regions regions = findRegions(map, kThreshold);
  std::vector<int> all(regions.regions.size());
  for (size_t k = 0; k < all.size(); ++k) all[k] = static_cast<int>(k);
  const std::vector<int> keep = mainGroup(regions.regions, all, o.groupSize);
  found.confidence = confidenceOf(regions.regions, keep, map.planeSize());
  if (found.confidence < o.minConfidence) {
    std::fill(found.probability.plane(0), found.probability.plane(0) + map.planeSize(), 0.0f);
    return found;
  }
  if (cutStray) {
    const std::vector<uint8_t> near = dilateMask(maskOf(regions, keep), map.width, map.height, kEdgeGrow);
    for (size_t i = 0; i < map.planeSize(); ++i) {
      if (!near[i]) found.probability.plane(0)[i] = 0;
    }
  }
  found.kind = kind;
  found.people = kind == SubjectKind::kPeople ? static_cast<int>(keep.size()) : 0;
  setBox(found, regions.regions, keep, map.width, map.height);
  return found;
}

struct Box {
  int left, top, right, bottom;  // inclusive; empty: left > right
};

// The box around the pixels of a w x h grid where in(i) holds.
template <typename In>
Box boxWhere(int w, int h, In in) {
  Box b{w, h, -1, -1};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (in(static_cast<size_t>(y) * w + x)) {
        b.left = std::min(b.left, x), b.right = std::max(b.right, x), b.top = std::min(b.top, y), b.bottom = std::max(b.bottom, y);
      }
    }
  }
  return b;
}

// The frame edges a region runs out of where `inside` stays clear of them (a lamp post from
// the top edge behind a walker, a shadow down to the bottom edge).
struct Sides {
  bool up, down, left, right;
  bool any() const { return up || down || left || right; }
};
Sides sidesOutOf(const Region& r, const Box& inside, int w, int h) {
  return {r.top <= 0 && inside.top > kEdgeGrow, r.bottom >= h - 1 && inside.bottom < h - 1 - kEdgeGrow,
          r.left <= 0 && inside.left > kEdgeGrow, r.right >= w - 1 && inside.right < w - 1 - kEdgeGrow};
}

// The connected parts of `mask` without a rim of `erode` pixels (the thin seams where the
// two models draw the same outline a few pixels apart stay blended: they are edges, not
// areas). Core pixels carry `value` (at least a speck above 0, so all of them are found).
template <typename Value>
Regions coreParts(const std::vector<uint8_t>& mask, int w, int h, int erode, Value value) {
  const size_t n = mask.size();
  std::vector<uint8_t> inverse(n);
  for (size_t i = 0; i < n; ++i) inverse[i] = !mask[i];
  const std::vector<uint8_t> outside = dilateMask(inverse, w, h, erode);
  auto core = ImagePlanar::create(w, h, 1);
  if (!core.ok()) return Regions{std::vector<int32_t>(n, -1), {}};
  float* C = core.value().plane(0);
  for (size_t i = 0; i < n; ++i) C[i] = outside[i] ? 0.0f : std::max(value(i), 1e-3f);
  return findRegions(core.value(), 1e-4f);
}

// Each part's verdict (1: the subject's, 2: background) grown back over its rim, within
// `mask`; 0 outside the parts.
std::vector<uint8_t> growVerdicts(const Regions& parts, const std::vector<uint8_t>& verdict, const std::vector<uint8_t>& mask,
                                  int w, int h, int erode) {
  const size_t n = mask.size();
  std::vector<uint8_t> keep(n, 0), cut(n, 0), decided(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const int k = parts.label[i];
    if (k >= 0 && verdict[k]) (verdict[k] == 1 ? keep : cut)[i] = 1;
  }
  keep = dilateMask(keep, w, h, erode), cut = dilateMask(cut, w, h, erode);
  for (size_t i = 0; i < n; ++i) decided[i] = !mask[i] ? 0 : (cut[i] ? 2 : (keep[i] ? 1 : 0));
  return decided;
}

// Where the two models disagree over a whole area, their blend is a half-transparent ghost
// over the background (DAVIS lucia_00000: the person model joins a shed to her head at
// 0.3-1.0, the object model says 0 there; the blend kept it at ~0.3 alpha). Such areas are
// decided whole, by connectivity and confidence: each connected part of `mask` whose mean
// blend is at least 0.5 (or whose mean of `sure`, when given, is at least `sureAt`) is the
// subject's (1), the rest is background (2); 0 outside the parts.
std::vector<uint8_t> decideParts(const std::vector<uint8_t>& mask, const float* P, const float* S, float wp, int w, int h,
                                 int erode, const float* sure = nullptr, float sureAt = 1, const Box* agreed = nullptr) {
  const size_t n = mask.size();
  const Regions parts = coreParts(mask, w, h, erode, [&](size_t i) { return wp * P[i] + (1 - wp) * S[i]; });
  // The model that claims the area may be sure on its own (legs the object model misses,
  // person map 0.73 over them, against 0.58 over lucia's shed).
  std::vector<double> sureOf(parts.regions.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    if (sure && parts.label[i] >= 0) sureOf[parts.label[i]] += sure[i];
  }
  // ... but not a part that runs out of the frame where what both models agree on stays
  // inside it: the person model's shadow on the ground down to the bottom edge (DAVIS
  // hike_00079: person map 0.81 over it).
  for (size_t k = 0; agreed && k < parts.regions.size(); ++k) {
    if (sidesOutOf(parts.regions[k], *agreed, w, h).any()) sureOf[k] = 0;
  }
  std::vector<uint8_t> verdict(parts.regions.size());
  for (size_t k = 0; k < verdict.size(); ++k) {
    const Region& r = parts.regions[k];
    verdict[k] = r.mean() >= kThreshold || sureOf[k] >= sureAt * r.area ? 1 : 2;
  }
  return growVerdicts(parts, verdict, mask, w, h, erode);
}

// A touching object region too big to be held (more than heldSize x the people outside
// them) is the swing's beam, a tree trunk, a wall, or the person's own dress whose hem the
// person model misses. The maps cannot tell these apart (beam: object 0.98 / person 0.03;
// hem: 0.93 / 0.04) and their blend is a 0.5 ghost; the photo can: a hem has the colour of
// the person it touches, a trunk its own, closer to the scenery around it. Each connected
// part outside the people is decided whole: 1 (the subject's) when most of its pixels are
// nearer the person's colours than the surrounding scenery's, 2 (cut) when not, by two
// samples of the person (below); 0 (the blend) when the two disagree or there is no
// scenery to compare with.
std::vector<uint8_t> decideByColour(const ImageRGBA8& photo, const Regions& objects, const std::vector<int>& held,
                                    const std::vector<uint8_t>& reach, const std::vector<uint8_t>& personZone,
                                    const std::vector<uint8_t>& kept, const float* P, const float* S, int w, int h) {
  const size_t n = reach.size();
  std::vector<uint8_t> decided(n, 0), isHeld(objects.regions.size(), 0), big(n), scene(n);
  for (int k : held) isHeld[k] = 1;
  // Two samples of the person: where the person model is sure (P >= 0.5; near a hem that
  // is often only legs and arms, the dress being the object model's), and the people's
  // interior both models agree on (the dress; near a beam the person model claims part of
  // the beam, so that sample holds beam too). A part is decided only when both agree.
  std::vector<uint8_t> notKept(n), sure(n), inside(n);
  for (size_t i = 0; i < n; ++i) notKept[i] = !kept[i];
  const std::vector<uint8_t> nearEdge = dilateMask(notKept, w, h, kColourInside);
  for (size_t i = 0; i < n; ++i) {
    big[i] = reach[i] && !personZone[i] && objects.label[i] >= 0 && !isHeld[objects.label[i]];
    sure[i] = kept[i] && P[i] >= kThreshold;
    inside[i] = !nearEdge[i] && S[i] >= kThreshold;
    scene[i] = !personZone[i] && S[i] < kThreshold && P[i] < kPersonThreshold;
  }
  const Regions parts = coreParts(big, w, h, kEdgeGrow, [&](size_t i) { return S[i]; });
  if (parts.regions.empty()) return decided;
  auto colour = shrinkCodesToPlanes(photo, w, h);
  if (!colour.ok()) return decided;
  const std::vector<PartColour> bySure = comparePartColours(colour.value(), parts, sure, scene, kSureReach);
  const std::vector<PartColour> byInside = comparePartColours(colour.value(), parts, inside, scene, kInsideReach);
  std::vector<uint8_t> verdict(parts.regions.size(), 0);
  for (size_t k = 0; k < verdict.size(); ++k) {
    // Like the person: most of its pixels of a colour common in the person's sample. A
    // part with (almost) no person beside it is no hem: it reaches the people only through
    // another part (the far end of a beam). With no scenery around it, nothing to compare.
    auto like = [](const PartColour& c, int fewest) { return c.personPixels >= fewest && c.personShare >= kLikePerson; };
    if (bySure[k].scenePixels < kColourSample) continue;
    const bool a = like(bySure[k], kColourSample), b = like(byInside[k], kInsideSample);
    verdict[k] = a && b ? 1 : (!a && !b ? 2 : 0);
  }
  decided = growVerdicts(parts, verdict, big, w, h, kEdgeGrow);
  // A cut part's soft edge beyond the region (the object map's ramp) goes with it.
  std::vector<uint8_t> cut(n);
  for (size_t i = 0; i < n; ++i) cut[i] = decided[i] == 2;
  cut = dilateMask(cut, w, h, kEdgeGrow);
  for (size_t i = 0; i < n; ++i) {
    if (cut[i] && !personZone[i] && decided[i] == 0) decided[i] = 2;
  }
  return decided;
}

}  // namespace

const char* subjectKindName(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kPeople: return "people";
    case SubjectKind::kObject: return "object";
    default: return "none";
  }
}

Status checkFusionOptions(const FusionOptions& o) {
  for (float v : {o.minPersonArea, o.personSureness, o.personAgreement, o.groupSize, o.personWeight, o.heldSize, o.minConfidence}) {
    if (!(v >= 0 && v <= 1)) return invalidArgument("subject finder options must be fractions in 0..1");
  }
  return Status::success();
}

Result<FoundSubject> findSubject(const ImagePlanar* person, const ImagePlanar* object, float aspect,
                                 const FusionOptions& o, const ImageRGBA8* photo) {
  if (!(aspect > 0 && std::isfinite(aspect))) return invalidArgument("the photo's aspect ratio must be positive");
  Status ok = checkFusionOptions(o);
  if (!ok.ok()) return ok;
  for (const ImagePlanar* map : {person, object}) {
    if (map && (!checkPlanes(*map).ok() || map->channels < 1)) return invalidArgument("a subject map must hold one plane");
  }
  if (!person && !object) return invalidArgument("the subject finder needs at least one map");
  if (!person) return single(*object, SubjectKind::kObject, o);
  if (!object) return single(*person, SubjectKind::kPeople, o);

  const int w = object->width, h = object->height;
  const size_t n = object->planeSize();
  auto sized = resize(*person, w, h, UpscaleKernel::kBilinear);
  if (!sized.ok()) return sized.status();
  const float* P = sized.value().plane(0);
  const float* S = object->plane(0);

  // People: person regions big and sure enough; the largest and those near its size.
  const Regions people = findRegions(sized.value(), kPersonThreshold);
  std::vector<int> candidates;
  for (size_t k = 0; k < people.regions.size(); ++k) {
    const Region& r = people.regions[k];
    if (r.area >= o.minPersonArea * n && r.mean() >= o.personSureness) candidates.push_back(static_cast<int>(k));
  }
  const std::vector<int> front = mainGroup(people.regions, candidates, o.groupSize);
  if (front.empty()) return single(*object, SubjectKind::kObject, o, true);
  const std::vector<uint8_t> kept = maskOf(people, front);
  const std::vector<uint8_t> near = dilateMask(kept, w, h, 1);
  // Object regions touching the front group (a held object, the person's own clothes the
  // person model missed).
  const Regions objects = findRegions(*object, kThreshold);
  std::vector<int> touching;
  std::vector<uint8_t> seen(objects.regions.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    const int k = objects.label[i];
    if (k >= 0 && near[i] && !seen[k]) seen[k] = 1, touching.push_back(k);
  }
  const std::vector<uint8_t> objectKept = maskOf(objects, touching);
  // Are they people? The person model also fires on animals (cows: mean 0.95), so two
  // more signs are asked for: the person map explains the object model's subject (its
  // mean there; people 0.48-0.97, a camel 0.65, a swan 0.11, a coffee cup 0.40), and the
  // main person stands upright (height >= width in photo pixels; animals measured
  // 0.45-0.94, people 0.70-3.1) or is cut by the bottom edge (head and shoulders).
  // Object regions more than twice the people's size outside them (a wall, the ground)
  // are left out of that mean; when that leaves nothing (a swan the person model saw a
  // speck of), there are no people.
  int main = front[0];
  for (int k : front) {
    if (people.regions[k].sum > people.regions[main].sum) main = k;
  }
  int peopleArea = 0;
  for (size_t i = 0; i < n; ++i) peopleArea += kept[i];
  std::vector<int> outsidePeople(objects.regions.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    if (objectKept[i] && !kept[i]) outsidePeople[objects.label[i]] += 1;
  }
  double agreed = 0;
  int objectArea = 0;
  int left = w, top = h, right = -1, bottom = -1;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      if (objectKept[i] && outsidePeople[objects.label[i]] <= 2 * peopleArea) agreed += P[i], objectArea += 1;
      if (people.label[i] == main && S[i] >= kThreshold) {
        left = std::min(left, x), right = std::max(right, x), top = std::min(top, y), bottom = std::max(bottom, y);
      }
    }
  }
  const bool explained = touching.empty() || (objectArea > 0 && agreed >= o.personAgreement * objectArea);
  const float upright = right < 0 ? 0 : (float(bottom - top + 1) / h) / (float(right - left + 1) / w) / aspect;
  const bool cutByBottom = bottom >= h - 2;
  // A person map over most of the frame that the object model covers only partly is the
  // person model mistaking a close-up (of a cat: 92% of the frame, 65% of it agreed) for
  // a person; its blend would leave the background half transparent.
  const Region& m = people.regions[main];
  int mainAgreed = 0;
  for (size_t i = 0; i < n; ++i) mainAgreed += people.label[i] == main && S[i] >= kThreshold;
  const bool overreach = m.area > kOverreachArea * n && mainAgreed < kOverreachAgreed * m.area;
  if (!explained || overreach || (upright < kUpright && !cutByBottom)) return single(*object, SubjectKind::kObject, o, true);

  FoundSubject found;
  found.kind = SubjectKind::kPeople;
  found.people = static_cast<int>(front.size());
  auto out = ImagePlanar::create(w, h, 1);
  if (!out.ok()) return out.status();
  found.probability = out.take();
  float* F = found.probability.plane(0);

  // Everyone else the person model saw: cut out of the object model's regions too.
  std::vector<int> others;
  for (size_t k = 0; k < people.regions.size(); ++k) {
    if (std::find(front.begin(), front.end(), static_cast<int>(k)) == front.end()) others.push_back(static_cast<int>(k));
  }
  const std::vector<uint8_t> dropped = dilateMask(maskOf(people, others), w, h, kEdgeGrow);
  const std::vector<uint8_t> personZone = dilateMask(kept, w, h, kEdgeGrow);
  // A region that runs out of the frame on a side where the people stay inside it (a lamp
  // post from the top edge behind a walker) stands in the scene: its part beyond the people
  // on that side is neither held nor blended in, or it would be kept as a held object (or
  // half alpha, a ghost) over the background. Its part beside the people is judged as usual.
  const Box peopleBox = boxWhere(w, h, [&](size_t i) { return kept[i] != 0; });
  std::vector<uint8_t> beyond(n, 0);
  for (int k : touching) {
    const Sides out = sidesOutOf(objects.regions[k], peopleBox, w, h);
    if (!out.any()) continue;
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const size_t i = static_cast<size_t>(y) * w + x;
        if (objects.label[i] != k) continue;
        beyond[i] = (out.up && y < peopleBox.top - kEdgeGrow) || (out.down && y > peopleBox.bottom + kEdgeGrow) ||
                    (out.left && x < peopleBox.left - kEdgeGrow) || (out.right && x > peopleBox.right + kEdgeGrow);
      }
    }
  }
  // Held objects: touching regions smaller (outside the people) than heldSize x the people;
  // a bigger region touching them is the swing's frame, a trunk, a wall, or a dress the
  // person model half misses: it gets the blend like everything else in reach, except
  // where the photo's colours decide its parts (decideByColour; the maps' confidences
  // cannot: a swing's beam, object 0.98 / person 0.03, a hem 0.93 / 0.04).
  std::vector<int> outside(objects.regions.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    if (objectKept[i] && !personZone[i] && !beyond[i]) outside[objects.label[i]] += 1;
  }
  std::vector<int> held;
  for (int k : touching) {
    if (outside[k] <= o.heldSize * peopleArea) held.push_back(k);
  }
  std::vector<uint8_t> heldZone = maskOf(objects, held), reach = objectKept;
  for (size_t i = 0; i < n; ++i) {
    heldZone[i] = heldZone[i] && !(dropped[i] && !kept[i]) && !beyond[i];
    reach[i] = reach[i] && !(dropped[i] && !kept[i]) && !beyond[i];
  }
  const float wp = o.personWeight;
  // Areas of the people the object model calls background (a shed the person model joins
  // to a head): the subject's (at the person model's word) or background.
  std::vector<uint8_t> disputed(n);
  for (size_t i = 0; i < n; ++i) disputed[i] = personZone[i] && S[i] < kThreshold;
  const Box both = boxWhere(w, h, [&](size_t i) { return kept[i] && S[i] >= kThreshold; });
  const std::vector<uint8_t> disputedParts = decideParts(disputed, P, S, wp, w, h, kEdgeGrow, P, kSurePerson, &both);
  // Bigger touching regions, outside the people: by the photo's colour (when given).
  const std::vector<uint8_t> byColour = photo ? decideByColour(*photo, objects, held, reach, personZone, kept, P, S, w, h)
                                              : std::vector<uint8_t>(n, 0);
  heldZone = dilateMask(heldZone, w, h, kEdgeGrow);
  reach = dilateMask(reach, w, h, kEdgeGrow);
  for (size_t i = 0; i < n; ++i) {
    // The blend of both maps over the kept zones (better than either single model on the
    // people frames, measured), held objects on the object model's word alone; decided
    // areas at 0 or at their model's word.
    float v = personZone[i] || reach[i] ? wp * P[i] + (1 - wp) * S[i] : 0.0f;
    if (heldZone[i] && !(dropped[i] && !personZone[i])) v = std::max(v, S[i]);
    if (byColour[i] == 1) v = std::max(v, S[i]);
    if (byColour[i] == 2) v = 0;
    if (disputedParts[i] == 2) v = 0;
    if (disputedParts[i] == 1) v = std::max(v, P[i]);
    F[i] = clamp01(v);
  }
  // Confidence of people: how sure the person model is of the front group.
  found.confidence = confidenceOf(people.regions, front, n);
  setBox(found, people.regions, front, w, h);
  // The box grows to the kept objects.
  for (int k : touching) {
    const Region& r = objects.regions[k];
    found.left = std::min(found.left, float(r.left) / w), found.top = std::min(found.top, float(r.top) / h);
    found.right = std::max(found.right, float(r.right + 1) / w), found.bottom = std::max(found.bottom, float(r.bottom + 1) / h);
  }
  if (found.confidence < o.minConfidence) {
    std::fill(F, F + n, 0.0f);
    found.kind = SubjectKind::kNone, found.people = 0;
    found.left = found.top = found.right = found.bottom = 0;
  }
  return found;
}

}  // namespace defocus
