// Stable, readable JSON for committed files: 2-space indentation, arrays of numbers on one line.
export function formatJson(value) {
  const text = JSON.stringify(value, null, 2);
  return `${text.replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_, body) => `[${body.split(/,\s*/).join(', ')}]`)}\n`;
}
