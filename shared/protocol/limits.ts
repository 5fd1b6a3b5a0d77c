// The protocol's version and the size limits that every part enforces the same way.

/** The wire protocol version: `v` in every change and hello. A relay speaks exactly this version. */
export const PROTOCOL_VERSION = 2;

export const LIMITS = {
  /** Largest request body the relay accepts by default (bytes, after gunzip). Configurable on the relay. */
  maxBodyBytes: 5 * 1024 * 1024,
  /** Largest message one socket may send (bytes). Clients only send small messages. */
  maxClientMessageBytes: 256 * 1024,
  /** Google Sheets holds at most 10 million cells; rows and columns are bounded by that. */
  maxRow: 10_000_000,
  /** Column ZZZ, the last one Google Sheets allows. */
  maxColumn: 18_278,
  /**
   * Most cells a channel's grid may have, every tab padded to its rectangle: a Google spreadsheet
   * holds at most 10 million cells, so a change that would make more cannot come from a sheet.
   */
  maxGridCells: 10_000_000,
  /** Longest text a Sheets cell can hold. */
  maxCellChars: 50_000,
  /** Longest tab name Google Sheets allows. */
  maxTabNameChars: 100,
  /** Most tabs one change may carry. */
  maxTabs: 200,
  /** Change ids are client-chosen: UUIDs in practice. */
  maxChangeIdChars: 64,
  /** Problems a client may report per `applied` message; the rest are counted, not listed. */
  maxReportedErrors: 500,
  /** Longest spreadsheet title carried in a change. */
  maxTitleChars: 500,
  /** Most socket messages one offer may be sliced into (each within maxClientMessageBytes). */
  maxOfferParts: 64,
  /** Collections in one offer (one tab each), as many as tabs in one change. */
  maxOfferCollections: 200,
  /** Longest Figma id of a collection or offer id carried in an offer. */
  maxOfferIdChars: 100,
} as const;
