// Token files as text: JSON indented by two spaces (diff-friendly), with short arrays of plain
// values on one line ("components": [0, 0.33, 1]) so a colour takes one line, not five.

/** An array of numbers, strings without brackets or braces, booleans or nulls, spread over lines by JSON.stringify. */
const SPREAD_ARRAY_RE = /\[\n\s*((?:[^[\]{}\n]+,\n\s*)*[^[\]{}\n]+)\n\s*\]/g;

export function tokenJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(SPREAD_ARRAY_RE, (_, inner: string) => `[${inner.split(/,\n\s*/).join(', ')}]`)}\n`;
}
