// What the subject finder found, in words for people: "3 people found", "subject found (not
// a person)", "no clear subject". The models name no species, so a dog is "not a person".

/** subject: {kind: 'people' | 'object' | 'none', people, confidence} (a result's `subject`). */
export function describeSubject(subject) {
  if (!subject) return '';
  const sure = `${Math.round(subject.confidence * 100)}% sure`;
  if (subject.kind === 'people') return `${subject.people} ${subject.people === 1 ? 'person' : 'people'} found (${sure})`;
  if (subject.kind === 'object') return `subject found, not a person (${sure})`;
  return 'no clear subject: blurred by depth alone';
}
