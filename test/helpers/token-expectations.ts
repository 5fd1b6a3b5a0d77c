// What a token consumer must produce for the example sheet: every variable's value in a chosen
// mode of each collection, aliases followed as a DTCG resolution does (each collection at its
// chosen mode), computed from the mapper's model independently of shared/tokens/.
import { join } from 'node:path';
import { parse } from 'culori';
import { mapGrid } from '../../shared/sheet/mapper';
import type { MapResult, MappedCollection, MappedValue, MappedVariable, Rgba } from '../../shared/sheet/model';
import { readCsvTabs } from '../../tools/csv-tabs';

export const root = join(__dirname, '../..');
export const exampleTabs = ['Primitives', 'Semantic', 'Typography', 'Flags'].map((t) => join(root, 'examples/tokens', `${t}.csv`));

export function mapExamples(): MapResult {
  const result = mapGrid(readCsvTabs(exampleTabs), { units: true });
  if (result.problems.length > 0) throw new Error(`the example sheet should map cleanly: ${JSON.stringify(result.problems)}`);
  return result;
}

export type Plain = Exclude<MappedValue, { alias: unknown }>;

/** Collection name → the mode it is at; absent collections are at their default mode. */
export type ModeChoice = Record<string, string>;

export function resolveValue(collections: readonly MappedCollection[], collection: MappedCollection, variable: MappedVariable, modes: ModeChoice): { value: Plain; end: MappedVariable } {
  let c = collection;
  let v = variable;
  for (let hops = 0; hops < 100; hops++) {
    const value = v.valuesByMode[modes[c.name] ?? c.modes[0]!.name]!;
    if (typeof value !== 'object' || !('alias' in value)) return { value, end: v };
    c = collections.find((x) => x.name === value.alias.collection)!;
    v = c.variables.find((x) => x.name === value.alias.name)!;
  }
  throw new Error(`alias loop at ${collection.name}::${variable.name}`);
}

/** Every mode choice a resolver permutation can make: all collections at default, then each mode of each multi-mode collection. */
export function modeChoices(collections: readonly MappedCollection[]): { label: string; modes: ModeChoice }[] {
  const out = [{ label: 'tokens', modes: {} as ModeChoice }];
  for (const c of collections) if (c.modes.length > 1) for (const m of c.modes) out.push({ label: `${c.name}-${m.name}`, modes: { [c.name]: m.name } });
  return out;
}

/** A CSS colour (hex, rgb(), rgba()) as 0..1 channels. */
export function cssColor(text: string): Rgba {
  const c = parse(text);
  if (!c || c.mode !== 'rgb') throw new Error(`not an sRGB colour: ${text}`);
  return { r: c.r, g: c.g, b: c.b, a: c.alpha ?? 1 };
}

export function withinOneStep(actual: Rgba, expected: Rgba): boolean {
  const step = 1 / 255 + 1e-9;
  return Math.abs(actual.r - expected.r) <= step && Math.abs(actual.g - expected.g) <= step && Math.abs(actual.b - expected.b) <= step && Math.abs(actual.a - expected.a) <= step;
}
