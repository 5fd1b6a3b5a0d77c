// A Figma file as a team has it before the sync: collections and variables made by hand (or another
// tool), with no mark of the sync, set up through the fake's own API without counting as the plugin's
// calls. For adoption tests, the bench and the browser page.

import type { CodeSyntaxPlatform, VariableResolvedDataType, VariableScope, VariableValue } from '@figma/plugin-typings/plugin-api-standalone';
import type { FakeCollection, FakeFile, FakeVariable, FakeVariablesApi } from './fake-variables';

/** A value as Figma holds it, or an alias written "Collection::name" (resolved once every variable exists). */
export type SeedValue = VariableValue | { alias: string };

export interface SeedVariable {
  name: string;
  type: VariableResolvedDataType;
  /** One per mode, in the collection's mode order. */
  values: SeedValue[];
  description?: string;
  scopes?: VariableScope[];
  hidden?: boolean;
  codeSyntax?: Partial<Record<CodeSyntaxPlatform, string>>;
}

export interface SeedCollection {
  name: string;
  /** Mode names; the first is the default mode. */
  modes: string[];
  variables: SeedVariable[];
}

export interface SeededFile {
  collections: Map<string, FakeCollection>;
  /** By "Collection::name". */
  variables: Map<string, FakeVariable>;
}

/** Makes the collections and variables; the call log is reset afterwards, so a test counts only the plugin's calls. */
export function seedExistingFile(api: FakeVariablesApi, file: FakeFile, spec: readonly SeedCollection[]): SeededFile {
  const collections = new Map<string, FakeCollection>();
  const variables = new Map<string, FakeVariable>();
  const aliases: { variable: FakeVariable; modeId: string; target: string }[] = [];
  for (const c of spec) {
    const collection = api.createVariableCollection(c.name);
    collections.set(c.name, collection);
    const modeIds = [collection.defaultModeRaw];
    collection.renameMode(collection.defaultModeRaw, c.modes[0]!);
    for (const mode of c.modes.slice(1)) modeIds.push(collection.addMode(mode));
    for (const v of c.variables) {
      const variable = api.createVariable(v.name, collection, v.type);
      variables.set(`${c.name}::${v.name}`, variable);
      v.values.forEach((value, i) => {
        if (typeof value === 'object' && value !== null && 'alias' in value) aliases.push({ variable, modeId: modeIds[i]!, target: value.alias });
        else variable.setValueForMode(modeIds[i]!, value);
      });
      if (v.description !== undefined) variable.description = v.description;
      if (v.scopes !== undefined) variable.scopes = v.scopes;
      if (v.hidden !== undefined) variable.hiddenFromPublishing = v.hidden;
      for (const [platform, text] of Object.entries(v.codeSyntax ?? {})) variable.setVariableCodeSyntax(platform as CodeSyntaxPlatform, text);
    }
  }
  for (const a of aliases) {
    const target = variables.get(a.target);
    if (!target) throw new Error(`seedExistingFile: no variable ${a.target} to alias`);
    a.variable.setValueForMode(a.modeId, api.createVariableAlias(target));
  }
  file.log.reset();
  return { collections, variables };
}
