// Scripted sheet edits for the fault and load runs: distinct colour values, so every edit changes
// a cell and the order they land in shows in the result.

/** A colour no earlier edit used (for i below 16 million): #rrggbb from a scrambled i. */
export function editValue(i: number): string {
  const n = (Math.imul(i + 1, 2654435761) >>> 8) & 0xffffff;
  return `#${n.toString(16).padStart(6, '0')}`;
}

/** The A1 of the value cell of one of the example's colour rows (Primitives B2…B45), cycling. */
export function colourCell(i: number): string {
  return `B${2 + (i % 44)}`;
}
