// The engine's render options, declared once in the engine (engine/src/render/option_schema.cpp)
// and written beside its wasm build as web/wasm/option-schema.js: for each option its name,
// group ('blur' | 'render' | 'depth': depth options sit under `depth`), type ('number' |
// 'integer' | 'boolean' | 'choice'), the blur style it belongs to, min / max (absent:
// any finite value; maxExclusive: below max), choices, default and one line of help.
// The module's defaults (defaults.js) and the CLI's flags (cli/args.js) are made from it.
import schema from '../wasm/option-schema.js';

/** Every option, in the order help lists them (frozen). */
export const optionSchema = Object.freeze(schema.map((spec) => Object.freeze(
  spec.choices ? { ...spec, choices: Object.freeze([...spec.choices]) } : { ...spec })));

/** The options of one group by name. */
export function optionsOf(group) {
  return optionSchema.filter((spec) => spec.group === group);
}

/** {name: default} of one group. */
export function defaultsOf(group) {
  return Object.fromEntries(optionsOf(group).map((spec) => [spec.name, spec.default]));
}

/** '1..100', '0..1 (exclusive)', or '' for any finite value. */
export function rangeText(spec) {
  if (spec.min === undefined && spec.max === undefined) return '';
  return `${spec.min}..${spec.max}${spec.maxExclusive ? ' (exclusive)' : ''}`;
}
