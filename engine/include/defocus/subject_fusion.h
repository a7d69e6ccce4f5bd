// The automatic subject finder's rule: one probability map of "the subject" from a person
// model's map and a general (salient object) model's map, plus what was found.
//
//  - people: person regions (person map >= 0.5) that are big and sure enough are people;
//    the largest is the main person and every person at least `groupSize` of its area is
//    the front group (a background person, further away, is smaller). A person region only
//    counts when the object model agrees it is a subject (it covers enough of it): person
//    models fire weakly on animals, and a dog is not "1 person".
//    Inside the people the two maps are blended, except over whole areas the object model
//    calls background (a shed the person model joins to a head): each connected one is
//    the person's when the person model is sure of it (mean >= 0.7, and not running out of
//    a frame edge the agreed subject stays inside: a shadow), else 0, never a ghost at the
//    blend. Object regions that touch the people
//    (a held bag, a bike, a dog on the lap) are kept with the object model's values when
//    at most `heldSize` of the people outside them; a bigger one (a swing's beam, a tree
//    trunk, a dress hem the person model misses) is, given the photo, decided whole per
//    part outside the people by its colour against the person's and the scenery's around
//    it (kept or 0; the blend where the two samples of the person disagree). Everything
//    else is cut to 0, so a dropped background person never stays as a half-transparent
//    ghost.
//  - no people: the object model's main region and regions at least `groupSize` of it;
//    with both maps given, everything not touching them is cut to 0 (no weak ghosts).
//  - confidence: how decided the maps are over the subject (few pixels near 0.5) and
//    whether the subject has a plausible size; below `minConfidence` nothing is cut out
//    (an empty map: the renderer then blurs by depth alone).
#pragma once

#include "defocus/image.h"

namespace defocus {

enum class SubjectKind { kNone, kPeople, kObject };

struct FusionOptions {
  float minPersonArea = 0.002f;    // a person region covers at least this fraction of the frame
  float personSureness = 0.7f;     // ... with a mean person probability at least this
  float personAgreement = 0.55f;   // mean person probability over the touching object regions
  float groupSize = 0.3f;          // others kept when at least this fraction of the main one's area
  float personWeight = 0.5f;       // inside people: weight of the person map in the blend
  float heldSize = 0.1f;            // a touching object region at most this x the people's area is held
  float minConfidence = 0.35f;     // below: no clear subject, an empty map
};

Status checkFusionOptions(const FusionOptions& options);

struct FoundSubject {
  ImagePlanar probability;  // one plane covering the photo, 0..1
  SubjectKind kind = SubjectKind::kNone;
  int people = 0;           // people in the front group (kind kPeople)
  float confidence = 0;     // 0..1
  // The kept subject's bounding box, fractions of the frame (empty when kind is kNone).
  float left = 0, top = 0, right = 0, bottom = 0;
};

const char* subjectKindName(SubjectKind kind);

// person, object: probability maps covering the whole photo (any sizes); either may be null
// (one model only: its map is kept as it is, only the confidence decides). aspect: the
// photo's width / height (the maps are stretched to the models' inputs).
// The result has the object map's size (the person map's when there is no object map).
// photo (optional, any size): the photo the maps are of; with it, big object regions touching
// the people are decided whole by colour (see above), without it they keep the blend.
Result<FoundSubject> findSubject(const ImagePlanar* person, const ImagePlanar* object, float aspect,
                                 const FusionOptions& options = {}, const ImageRGBA8* photo = nullptr);

}  // namespace defocus
