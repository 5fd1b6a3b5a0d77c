// The flat JSON format: collection → mode → variable name → plain value, aliases followed to the
// value they end at. Colours as "#rrggbb" or "#rrggbbaa", numbers as numbers (px dropped, as in
// Figma), strings and booleans as themselves.

import { formatHex } from '../sheet/color';
import type { MappedCollection } from '../sheet/model';
import { ValueResolver } from './resolved-values';
import type { TokenProblemLog } from './token-problems';

export type FlatValue = string | number | boolean;
export type FlatTokens = Record<string, Record<string, Record<string, FlatValue>>>;

/** Sets a key even when it is "__proto__". */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The flat values of every collection and mode (`only`: one mode name, where a collection has it; else its default). */
export function flatTokens(collections: readonly MappedCollection[], log: TokenProblemLog, only?: string): FlatTokens {
  const resolver = new ValueResolver(collections);
  const out: FlatTokens = {};
  for (const collection of collections) {
    const byMode: Record<string, Record<string, FlatValue>> = {};
    const modes = only === undefined ? collection.modes : collection.modes.filter((m) => m.name === only);
    for (const mode of modes.length > 0 ? modes : [collection.modes[0]!]) {
      const values: Record<string, FlatValue> = {};
      for (const variable of collection.variables) {
        const resolved = resolver.resolve(collection, variable, mode.name);
        if (!resolved) {
          log.add(collection, variable, 'TOKEN_ALIAS_LEFT_OUT', `${JSON.stringify(variable.name)} points at a variable that is not among the exported ones, so it is left out too`);
          continue;
        }
        setOwn(values, variable.name, typeof resolved.value === 'object' ? formatHex(resolved.value) : resolved.value);
      }
      setOwn(byMode, mode.name, values);
    }
    setOwn(out, collection.name, byMode);
  }
  return out;
}
