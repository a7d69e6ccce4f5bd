// What the .d.ts files declare, read with the TypeScript compiler: the value exports of a
// module and the members of an exported interface, for tests that compare them with what
// the JavaScript really has.
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

const lib = (name) => fileURLToPath(new URL(`../../web/lib/${name}`, import.meta.url));
let cached = null;

function program() {
  cached ??= (() => {
    const files = ['defocus.d.ts', 'node.d.ts', 'api.d.ts', 'worker.d.ts'].map(lib);
    const p = ts.createProgram(files, { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] });
    return { checker: p.getTypeChecker(), source: (name) => p.getSourceFile(lib(name)) };
  })();
  return cached;
}

function exportsOf(file) {
  const { checker, source } = program();
  return checker.getExportsOfModule(checker.getSymbolAtLocation(source(file)));
}

/** Names a module exports as values (functions, classes, constants), sorted. */
export function declaredValueExports(file) {
  const { checker } = program();
  return exportsOf(file)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return target.flags & ts.SymbolFlags.Value;
    })
    .map((symbol) => symbol.name).sort();
}

/** Every type a module exports by name (values and types), sorted. */
export function declaredExports(file) {
  return exportsOf(file).map((symbol) => symbol.name).sort();
}

/** Members of interface `name` exported by `file` (inherited ones too), sorted. */
export function declaredMembers(file, name) {
  const { checker } = program();
  let symbol = exportsOf(file).find((s) => s.name === name);
  if (!symbol) throw new Error(`${file} exports no ${name}`);
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((p) => p.name).sort();
}

/** The members of a string-literal union type alias, sorted. */
export function declaredUnion(file, name) {
  const { checker } = program();
  let symbol = exportsOf(file).find((s) => s.name === name);
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return checker.getDeclaredTypeOfSymbol(symbol).types.map((t) => t.value).sort();
}
