// The render options are declared once, in the engine (engine/src/render/option_schema.cpp).
// What is made from them (web/wasm/option-schema.js, the module's defaults, the CLI's flags)
// must equal them; what is written by hand beside them (the .d.ts files, the page's
// controls) is held to them here: a renamed, added or dropped option, a changed default,
// range or choice fails one of these tests until the hand-written side follows.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { loadEngine } from '../../web/lib/node.js';
import { blurDefaults, renderDefaults } from '../../web/lib/defaults.js';
import { optionSchema } from '../../web/lib/option-schema.js';
import { parseArgs, schemaFlags } from '../../cli/args.js';
import generated from '../../web/wasm/option-schema.js';

let engine;
let schema;  // the engine's own, from the running module
before(async () => {
  engine = await loadEngine();
  schema = engine.optionSchema();
});

const pathOf = (spec) => (spec.group === 'depth' ? `depth.${spec.name}` : spec.name);
const namesOf = (group) => schema.filter((s) => s.group === group).map((s) => s.name).sort();
const bounded = (spec) => spec.min !== undefined || spec.max !== undefined;

test('the generated schema and the module\'s defaults are the running engine\'s', () => {
  assert.ok(schema.length >= 24, `${schema.length} options`);
  assert.deepEqual(generated, schema, 'web/wasm/option-schema.js is stale: rebuild the wasm (bash scripts/build.sh wasm)');
  assert.deepEqual(JSON.parse(JSON.stringify(optionSchema)), schema);
  const defaults = (group) => Object.fromEntries(schema.filter((s) => s.group === group).map((s) => [s.name, s.default]));
  assert.deepEqual({ ...blurDefaults }, defaults('blur'));
  assert.deepEqual({ ...renderDefaults, depth: { ...renderDefaults.depth } },
    { ...defaults('blur'), background: 'blur', ...defaults('render'), strokes: [], depth: defaults('depth') });
  assert.deepEqual(new Set(schema.map(pathOf)).size, schema.length, 'one name per option');
  for (const spec of schema) {
    assert.match(spec.help, /^[^\n]{10,}$/, `${spec.name}: one line of help`);
    if (spec.type === 'choice') assert.ok(spec.choices.includes(spec.default), spec.name);
  }
});

// --- the .d.ts files, read with the TypeScript compiler ---------------------------------

const dts = {
  lib: fileURLToPath(new URL('../../web/lib/load-engine.d.ts', import.meta.url)),
  raw: fileURLToPath(new URL('../../bindings/defocus_engine.d.ts', import.meta.url)),
};
const program = ts.createProgram(Object.values(dts), { strict: true, noEmit: true, types: [], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
const checker = program.getTypeChecker();

/** {name: {type, doc}} of an exported interface's own and inherited members. */
function membersOf(file, name) {
  const module = checker.getSymbolAtLocation(program.getSourceFile(file));
  const symbol = checker.getExportsOfModule(module).find((s) => s.name === name);
  assert.ok(symbol, `${file} exports no ${name}`);
  const out = {};
  for (const member of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
    const type = checker.getNonNullableType(checker.getTypeOfSymbol(member));
    const literals = type.isUnion() && type.types.every((t) => t.isStringLiteral()) ? type.types.map((t) => t.value).sort() : null;
    out[member.name] = {
      type: literals ? 'choice' : checker.typeToString(type),
      literals,
      doc: ts.displayPartsToString(member.getDocumentationComment(checker)).replace(/\s+/g, ' '),
    };
  }
  return out;
}

const fmt = (value) => (typeof value === 'string' ? `'${value}'` : String(value));
const tsType = { number: 'number', integer: 'number', boolean: 'boolean' };

function assertDeclared(members, specs, where) {
  for (const spec of specs) {
    const member = members[spec.name];
    assert.ok(member, `${where} does not declare ${pathOf(spec)}`);
    if (spec.type === 'choice') {
      assert.deepEqual(member.literals, [...spec.choices].sort(), `${where}.${spec.name}: the engine's choices`);
    } else {
      assert.equal(member.type, tsType[spec.type], `${where}.${spec.name}: type`);
    }
    // The comment states the engine's default and range, so a reader of the types sees them.
    const defaultText = new RegExp(`\\bdefault ${fmt(spec.default).replace(/[.']/g, '\\$&')}(?![\\d.]\\d)`, 'i');
    assert.match(member.doc, defaultText, `${where}.${spec.name}: the comment must say "default ${fmt(spec.default)}"`);
    if (bounded(spec)) {
      const range = `${spec.min}..${spec.max}${spec.maxExclusive ? ' (exclusive)' : ''}`;
      assert.ok(member.doc.includes(range), `${where}.${spec.name}: the comment must give the range ${range}: "${member.doc}"`);
    }
    if (spec.type === 'integer') assert.match(member.doc, /\ban integer\b/i, `${where}.${spec.name}: says it is an integer`);
  }
}

test('load-engine.d.ts declares every option with the engine\'s type, choices, range and default, and no other', () => {
  const blur = membersOf(dts.lib, 'BlurOptions');
  const depth = membersOf(dts.lib, 'DepthOptions');
  const render = membersOf(dts.lib, 'RenderOptions');
  assert.deepEqual(Object.keys(blur).sort(), namesOf('blur'), 'BlurOptions: the engine\'s blur options');
  assert.deepEqual(Object.keys(depth).sort(), namesOf('depth'), 'DepthOptions: the engine\'s depth options');
  assert.deepEqual(Object.keys(render).sort(), [...namesOf('blur'), ...namesOf('render'), 'background', 'depth', 'strokes'].sort(),
    'RenderOptions: blur and render options, plus background, depth and strokes');
  assertDeclared(blur, schema.filter((s) => s.group === 'blur'), 'BlurOptions');
  assertDeclared(render, schema.filter((s) => s.group === 'render'), 'RenderOptions');
  assertDeclared(depth, schema.filter((s) => s.group === 'depth'), 'DepthOptions');
  assert.deepEqual(membersOf(dts.lib, 'OptionSpec').type.literals, ['boolean', 'choice', 'integer', 'number']);
});

test('the raw module\'s .d.ts: blur options as the bindings read them, and the schema calls', () => {
  const raw = membersOf(dts.raw, 'RawBlurOptions');
  assert.deepEqual(Object.keys(raw).sort(), namesOf('blur'));
  for (const spec of schema.filter((s) => s.group === 'blur')) {
    assert.equal(raw[spec.name].type, spec.type === 'choice' ? 'string' : tsType[spec.type], spec.name);
  }
  const calls = membersOf(dts.raw, 'DefocusModule');
  assert.ok(calls.optionSchema && calls.checkOptions, 'DefocusModule declares optionSchema and checkOptions');
  const declared = Object.keys(membersOf(dts.raw, 'RawOptionSpec')).sort();
  assert.deepEqual(declared, ['choices', 'default', 'group', 'help', 'max', 'maxExclusive', 'min', 'name', 'style', 'type']);
  for (const key of new Set(schema.flatMap(Object.keys))) assert.ok(declared.includes(key), `RawOptionSpec declares ${key}`);
});

// --- the page's controls (web/index.html) -------------------------------------------------

// Where the page starts from its own look rather than the engine's default: a softer
// strength for a first impression, highlights on for lens bokeh. Any other control starts
// at the engine's default.
const pageChoices = { strength: 25, highlightBoost: 8 };
const html = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
const attr = (tag, name) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/** The form's controls that are engine options: [{spec, tag, style}] (style: the last
 *  data-for-style block opened before them, which holds a style's own controls). */
function pageControls() {
  const controls = [];
  let style = null;
  for (const [tag] of html.matchAll(/<(input|select|div)\b[^>]*>/g)) {
    style = attr(tag, 'data-for-style') ?? style;
    const name = attr(tag, 'name');
    const spec = name ? schema.find((s) => s.name === camel(name)) : undefined;
    if (spec && !tag.startsWith('<div')) controls.push({ spec, tag, style });
  }
  return controls;
}

test('the page\'s controls stay inside the engine\'s ranges and start at its defaults', () => {
  const controls = pageControls();
  const seen = new Set(controls.map((c) => c.spec.name));
  for (const name of ['strength', 'style', 'blades', 'rotation', 'highlightBoost', 'angle', 'grain', 'readFocus', 'blurBackground']) {
    assert.ok(seen.has(name), `index.html has a control for ${name}`);
  }
  const accepted = (spec, value) => {
    const options = spec.group === 'depth' ? { depth: { [spec.name]: value } } : { [spec.name]: value };
    try {
      engine.checkOptions({ ...(spec.style ? { style: spec.style } : {}), ...options });
      return true;
    } catch (err) {
      return err.message;
    }
  };
  for (const { spec, tag, style } of controls) {
    const type = attr(tag, 'type');
    if (spec.style) assert.equal(style, spec.style, `${spec.name}'s control sits in the ${spec.style} block`);
    if (type === 'range') {
      for (const end of ['min', 'max', 'value']) {
        const value = Number(attr(tag, end));
        assert.equal(accepted(spec, value), true, `${spec.name}: the page's ${end} ${value}`);
      }
      assert.equal(Number(attr(tag, 'value')), pageChoices[spec.name] ?? spec.default, `${spec.name}: the page starts at`);
    } else if (type === 'radio') {
      assert.ok(spec.choices.includes(attr(tag, 'value')), `${spec.name}: the page offers '${attr(tag, 'value')}'`);
      if (tag.includes(' checked')) assert.equal(attr(tag, 'value'), spec.default, `${spec.name}: checked at first`);
    } else if (type === 'checkbox') {
      assert.equal(tag.includes(' checked'), spec.default, `${spec.name}: checked at first`);
    } else if (tag.startsWith('<select')) {
      const block = html.slice(html.indexOf(tag), html.indexOf('</select>', html.indexOf(tag)));
      const values = [...block.matchAll(/<option value="([^"]*)"/g)].map((m) => Number(m[1]));
      assert.ok(values.length > 1, spec.name);
      for (const value of values) assert.equal(accepted(spec, value), true, `${spec.name}: the page offers ${value}`);
      assert.equal(values[0], spec.default, `${spec.name}: the first choice is the default`);
    }
  }
  const styles = controls.filter((c) => c.spec.name === 'style').map((c) => attr(c.tag, 'value')).sort();
  assert.deepEqual(styles, [...schema.find((s) => s.name === 'style').choices].sort(), 'the page offers every style');
});

// --- the CLI and the engine's check ---------------------------------------------------------

test('the CLI\'s flags take the engine\'s ranges and help', () => {
  const usage = (argv) => {
    try {
      parseArgs(['in.jpg', ...argv]);
      return null;
    } catch (err) {
      return err.message;
    }
  };
  assert.ok(schemaFlags.length >= 10);
  for (const [flag, spec] of schemaFlags) {
    const name = flag.split(' ')[0];
    assert.equal(name, `--${spec.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    assert.equal(usage([name, String(spec.default)]), null, `${name} ${spec.default}`);
    if (spec.max !== undefined) {
      const over = spec.maxExclusive ? spec.max : spec.max + 1;
      assert.match(usage([name, String(over)]) ?? '', new RegExp(`${spec.min}\\.\\.${spec.max}`), `${name} ${over} is refused with the range`);
    }
    if (spec.min !== undefined) assert.notEqual(usage([name, String(spec.min - 1)]), null, `${name} ${spec.min - 1}`);
  }
  const { settings } = parseArgs(['in.jpg', '--center-x', '0.25', '--focus-y', '0.75', '--blades', '6']);
  assert.deepEqual([settings.render.centerX, settings.render.depth.focusY, settings.render.blades], [0.25, 0.75, 6]);
  assert.equal(parseArgs(['in.jpg']).settings.render.strength, schema.find((s) => s.name === 'strength').default);
});

test('checkOptions is the engine\'s verdict: one line naming the option, what a render refuses', () => {
  assert.equal(engine.checkOptions({}).strength, blurDefaults.strength, 'defaults filled');
  const matte = { width: 8, height: 8, data: new Float32Array(64).fill(0.5) };
  const photo = { width: 8, height: 8, data: new Uint8Array(256).fill(128) };
  const cases = [
    [{ strength: 0 }, /strength/], [{ blades: 2 }, /blades must be 0 \(circle\) or 3\.\.16/], [{ blades: 17 }, /blades/],
    [{ style: 'radial', centerX: 1.5 }, /^centerX must be a number in 0\.\.1, got 1\.5$/],
    [{ grainSeed: -1 }, /^grainSeed must be an integer in 0\.\.4294967295, got -1$/],
    [{ depth: { mode: 'tilt' } }, /^depth\.mode must be auto, flat, linear, radial or map, got 'tilt'$/],
    [{ depth: { focusX: 2 } }, /^depth\.focusX must be a number in -1\.\.1, got 2$/],
    [{ style: 'motion', angle: Infinity }, /angle/], [{ highlightThreshold: 1 }, /threshold/],
  ];
  for (const [options, reason] of cases) {
    assert.throws(() => engine.checkOptions(options), (err) => err.code === 'invalid_argument' && reason.test(err.message) &&
      !err.message.includes('\n'), JSON.stringify(options));
    assert.throws(() => engine.render(photo, matte, options), (err) => err.code === 'invalid_argument' && reason.test(err.message),
      `a render refuses ${JSON.stringify(options)} alike`);
  }
  // Options of another style are not its business (the CLI passes --blades with --style motion).
  assert.equal(engine.checkOptions({ style: 'motion', blades: 2, centerX: 7 }).blades, 2);
});
