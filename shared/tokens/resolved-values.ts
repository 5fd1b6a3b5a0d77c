// An alias followed to the value it ends at, for formats that hold plain values (the flat JSON).
// Within a collection the mode stays the same; into another collection it is that collection's mode
// of the same name when it has one, else its default mode (docs/tokens.md, "Aliases in flat files").

import type { MappedCollection, MappedValue, MappedVariable } from '../sheet/model';
import { isAlias } from './dtcg-value';

export type PlainValue = Exclude<MappedValue, { alias: unknown }>;

export interface ResolvedValue {
  value: PlainValue;
  /** The variable whose literal value it is (for its unit). */
  variable: MappedVariable;
}

/** Resolves aliases over a set of collections. The mapper has refused cycles; a bound stops any that slipped through. */
export class ValueResolver {
  private readonly collections = new Map<string, { collection: MappedCollection; byName: Map<string, MappedVariable> }>();

  constructor(collections: readonly MappedCollection[]) {
    for (const collection of collections) {
      this.collections.set(collection.name, { collection, byName: new Map(collection.variables.map((v) => [v.name, v])) });
    }
  }

  /** The plain value of `variable` of `collection` in `mode`, or undefined when an alias points nowhere. */
  resolve(collection: MappedCollection, variable: MappedVariable, mode: string): ResolvedValue | undefined {
    let current = variable;
    let currentMode = mode;
    let value: MappedValue | undefined = variable.valuesByMode[mode];
    for (let hops = 0; value !== undefined && isAlias(value); hops++) {
      if (hops > 1000) return undefined;
      const target = this.collections.get(value.alias.collection);
      const next = target?.byName.get(value.alias.name);
      if (!target || !next) return undefined;
      if (target.collection !== collection) currentMode = target.collection.modes.some((m) => m.name === mode) ? mode : target.collection.modes[0]!.name;
      collection = target.collection;
      current = next;
      value = next.valuesByMode[currentMode];
    }
    return value === undefined ? undefined : { value, variable: current };
  }
}
