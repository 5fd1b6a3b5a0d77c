// A channel holding a token sheet: CSV tabs (one file per tab, as `check` and `export` read them)
// published as one snapshot, and what the CLI's `export` makes of the same tabs, to compare the
// relay's /tokens answers with.

import { readCsvTabs } from '../../../tools/csv-tabs';
import type { Grid } from '../../../shared/protocol/grid';
import { mapGrid } from '../../../shared/sheet/mapper';
import type { ChangeAccepted } from '../../../shared/protocol/messages';
import { exportTokens, type TokenExportOptions } from '../../../shared/tokens/export-tokens';
import { ModelSheet, postChange, type TestChannel } from './relay-api';

/** Posts the tabs as a snapshot; throws unless the relay accepts it. */
export async function publishTabs(relayUrl: string, channel: TestChannel, grid: Grid, sheet = new ModelSheet()): Promise<{ sheet: ModelSheet; accepted: ChangeAccepted }> {
  const answer = await postChange(relayUrl, channel, sheet.snapshot(grid.tabs.map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows }))));
  if (answer.status !== 200) throw new Error(`the snapshot answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return { sheet, accepted: answer.body as ChangeAccepted };
}

export async function publishCsv(relayUrl: string, channel: TestChannel, files: readonly string[]): Promise<{ sheet: ModelSheet; grid: Grid; accepted: ChangeAccepted }> {
  const grid = readCsvTabs(files);
  return { grid, ...(await publishTabs(relayUrl, channel, grid)) };
}

/** What `export` writes for these tabs: files and problems (the mapper's, then the export's), and the counts. */
export function expectedExport(grid: Grid, options: TokenExportOptions): { files: { path: string; mediaType: string; text: string }[]; problems: unknown[]; collections: number; variables: number } {
  const mapped = mapGrid(grid, { units: true });
  const exported = exportTokens(mapped.collections, options);
  return {
    files: exported.files,
    problems: [...mapped.problems, ...exported.problems],
    collections: mapped.collections.length,
    variables: mapped.collections.reduce((n, c) => n + c.variables.length, 0),
  };
}
