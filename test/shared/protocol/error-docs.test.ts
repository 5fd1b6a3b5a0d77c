// Checks that docs/protocol.md lists every code of the error catalogue with the same HTTP status,
// close code, retry and message, and lists nothing the catalogue lacks.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS, type ErrorSpec } from '../../../shared/protocol/errors';

const doc = readFileSync(join(__dirname, '../../../docs/protocol.md'), 'utf8');

interface DocumentedRow {
  status: number;
  closeCode: number | undefined;
  retry: boolean;
  message: string;
}

/** The rows "| `CODE` | status | close | retry | message |" of the doc's error tables, by code. */
function documentedRows(): Map<string, DocumentedRow[]> {
  const rows = new Map<string, DocumentedRow[]>();
  for (const m of doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| (\d{3}) \| (\d{4}|–) \| (yes|no) \| (.+) \|$/gm)) {
    const row: DocumentedRow = {
      status: Number(m[2]),
      closeCode: m[3] === '–' ? undefined : Number(m[3]),
      retry: m[4] === 'yes',
      message: m[5]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\\\|/g, '|'),
    };
    rows.set(m[1]!, [...(rows.get(m[1]!) ?? []), row]);
  }
  return rows;
}

describe('docs/protocol.md and the error catalogue', () => {
  const rows = documentedRows();
  const catalogue = Object.entries(ERRORS) as [string, ErrorSpec][];

  it('mentions every code of the catalogue', () => {
    expect(catalogue.map(([code]) => code).filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });

  it('has exactly one table row for every code of the catalogue', () => {
    expect(catalogue.filter(([code]) => rows.get(code)?.length !== 1).map(([code]) => code)).toEqual([]);
  });

  it('documents no code the catalogue lacks', () => {
    expect([...rows.keys()].filter((code) => !(code in ERRORS))).toEqual([]);
  });

  it('gives every code the status, close code, retry and message of the catalogue', () => {
    const documented = Object.fromEntries([...rows].map(([code, [row]]) => [code, row]));
    const expected = Object.fromEntries(catalogue.map(([code, spec]) => [code, { status: spec.status, closeCode: spec.closeCode, retry: spec.retry, message: spec.message }]));
    expect(documented).toEqual(expected);
  });
});
