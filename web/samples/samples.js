// The sample photos the page offers to try without uploading anything: small copies of the
// project's own test photos (credits in SOURCES.md and on the page), and the look their
// "after" images are rendered with at build time (scripts/samples.js). The page starts with
// the same settings, so opening a sample for real shows what its preview showed.
export const sampleLook = Object.freeze({ style: 'lens', strength: 25, blades: 0, rotation: 0, highlightBoost: 8 });

export const samples = Object.freeze([
  { file: 'astronaut.jpg', label: 'Portrait', title: 'Astronaut Eileen Collins', credit: 'NASA, public domain' },
  { file: 'dogs.jpg', label: 'Pets', title: 'Two dogs at a window', credit: 'Aitzol Berasategi, CC BY 4.0' },
  { file: 'cup.jpg', label: 'Product', title: 'Espresso cup', credit: 'Rachel Michetti, CC0' },
  { file: 'cat.jpg', label: 'Close-up', title: 'Chelsea the cat', credit: 'Stefan van der Walt, CC0' },
]);
