// The automatic subject finder (model 'auto'): the person model (~20 ms) and the object
// model (U2-Net-p, ~1-2 s) on the photo, fused by the engine's rule (findSubject in
// engine/include/defocus/subject_fusion.h), then, when the subject is small, a second pass
// on a crop around it (subject_zoom.h). A single model ('subject', 'portrait') goes through
// the same steps with one map: its map is kept, the confidence and the zoom still apply.
const now = () => performance.now();

/**
 * @param engine    the loaded engine (load-engine.js)
 * @param models    {person, object}: segmenters (segmenter.js), either may be missing
 */
export function createSubjectFinder(engine, { person = null, object = null }) {
  const zoomModel = object ?? person;
  const size = zoomModel.entry.inputSize;

  async function maps(image, timings, suffix = '') {
    let t = now();
    const p = person ? await person.run(engine, image) : null;
    if (person) timings[`person${suffix}`] = now() - t;
    t = now();
    const s = object ? await object.run(engine, image) : null;
    if (object) timings[`object${suffix}`] = now() - t;
    return [p, s];
  }

  return {
    /** The entry whose refinement settings suit the found map (the object model's when there is one). */
    entry: zoomModel.entry,

    /**
     * {probability, subject: {kind, people, confidence}, zoom: {gain, crop} | null, timings}.
     * options: zoom (default true), finder / zoomOptions (the engine's defaults).
     */
    async find(image, { zoom = true, finder = {}, zoomOptions = {}, signal } = {}) {
      const timings = {};
      const found = engine.findSubject(...(await maps(image, timings)), image.width / image.height, finder, image);
      let probability = found.probability;
      let zoomed = null;
      const plan = zoom ? engine.planZoom(found, image.width, image.height, size.width, size.height, zoomOptions) : null;
      if (plan?.zoom) {
        signal?.throwIfAborted();
        const t = now();
        const crop = engine.crop(image, plan);
        // Inside the crop the subject is known: no confidence cut.
        const inCrop = engine.findSubject(...(await maps(crop, timings, 'Zoom')), crop.width / crop.height,
          { ...finder, minConfidence: 0 }, crop);
        probability = engine.mergeZoom(found.probability, inCrop.probability, plan, image.width, image.height, zoomOptions);
        timings.zoom = now() - t;
        zoomed = { gain: plan.gain, crop: { left: plan.left, top: plan.top, width: plan.width, height: plan.height } };
      }
      const subject = { kind: found.kind, people: found.people, confidence: found.confidence };
      return { probability, subject, zoom: zoomed, timings };
    },
  };
}
