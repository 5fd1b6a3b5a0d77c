// The host page's HTML and styles: a sheet column (the demo's edits), the Figma file's variables
// (as Figma's Variables panel lays them out) and the plugin window, framed as Figma frames it.

export interface PageOptions {
  title: string;
  /** Shown under the title. */
  subtitle: string;
  /** Show the sheet's activity column (the demo) or not (tests that drive the sheet themselves). */
  activity: boolean;
  config: { autoOpen: boolean; events: boolean; modeLimit?: number };
}

const STYLE = String.raw`
:root {
  --canvas: #f0f0f0; --panel: #ffffff; --ink: #1e1e1e; --muted: #757575; --faint: #b3b3b3;
  --line: #e6e6e6; --brand: #0d99ff; --brand-soft: #e5f4ff; --sheets: #0f9d58; --flash: #fff4c2;
  font: 13px/1.45 Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--canvas); min-height: 100vh; }
header.top { display: flex; align-items: center; gap: 14px; padding: 14px 22px; background: #2c2c2c; color: #fff; }
header.top h1 { font-size: 15px; font-weight: 600; margin: 0; letter-spacing: .1px; }
header.top p { margin: 0; color: #b3b3b3; font-size: 12px; }
.flow { display: flex; align-items: center; gap: 6px; margin-left: auto; font-size: 12px; color: #e6e6e6; }
.flow .step { padding: 3px 9px; border-radius: 999px; background: #383838; }
.flow .arrow { color: #8a8a8a; }
.layout { display: grid; grid-template-columns: 270px minmax(420px, 1fr) 384px; gap: 16px; padding: 16px 22px 22px; align-items: start; }
.layout.no-activity { grid-template-columns: minmax(420px, 1fr) 384px; }
.layout.no-activity > .sheet-panel { display: none; }
.panel { background: var(--panel); border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 0 0 1px rgba(0,0,0,.04); overflow: hidden; }
.panel-head { display: flex; align-items: center; gap: 8px; padding: 10px 14px; border-bottom: 1px solid var(--line); font-weight: 600; }
.panel-head .muted { font-weight: 400; }
.badge { font-size: 11px; font-weight: 500; padding: 1px 7px; border-radius: 999px; background: var(--brand-soft); color: #007be5; }
.badge.sheets { background: #e6f4ea; color: #137333; }
.muted { color: var(--muted); }
.small { font-size: 11.5px; }
.spacer { flex: 1; }
code { font: 12px/1.3 "JetBrains Mono", ui-monospace, SFMono-Regular, Menlo, monospace; }

/* Sheet column */
.sheet-panel .body { padding: 12px 14px 14px; max-height: calc(100vh - 120px); overflow: auto; }
.sheet-card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin-bottom: 12px; background: #fbfbfb; }
.sheet-title { display: flex; align-items: center; gap: 8px; font-weight: 600; margin-bottom: 2px; }
.sheets-icon { width: 14px; height: 18px; border-radius: 2px; background: var(--sheets); box-shadow: inset 0 0 0 3px var(--sheets), inset 0 0 0 5px #fff; }
.pairing { margin-top: 6px; }
.pairing-code { background: #f0f0f0; padding: 1px 5px; border-radius: 4px; }
.activity-title { margin: 4px 0 8px; font-size: 11px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
.activity-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.activity-edit { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: #fff; }
.activity-edit.waiting { border-color: #ffd48a; background: #fffaf0; }
.edit-head { display: flex; justify-content: space-between; gap: 8px; }
.edit-cell { font-weight: 600; color: #137333; }
.edit-when { font-size: 11px; }
.edit-note { color: var(--ink); margin: 1px 0 4px; }
.edit-foot { display: flex; align-items: center; gap: 6px; font-size: 12px; }
.edit-foot .edit-value { min-width: 0; overflow: hidden; }
.edit-applied, .edit-pending { white-space: nowrap; }
.edit-value { display: inline-flex; align-items: center; gap: 5px; }
.mini-swatch { flex: none; width: 12px; height: 12px; border-radius: 3px; box-shadow: inset 0 0 0 1px rgba(0,0,0,.15); }
.edit-value code { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.edit-applied { color: #14ae5c; font-weight: 500; }
.edit-applied::before { content: "✓ "; }
.edit-pending { color: #b86200; }
.activity-note { color: var(--muted); font-style: italic; padding: 2px 2px; }

/* Figma file: collections + variables table */
.figma-panel .body { display: grid; grid-template-columns: 180px minmax(0, 1fr); height: max(560px, calc(100vh - 120px)); }
nav.collections { border-right: 1px solid var(--line); padding: 8px 6px; overflow: auto; background: #fcfcfc; }
.collections-title { font-size: 11px; color: var(--muted); padding: 4px 8px 6px; }
button.collection { display: flex; width: 100%; align-items: center; gap: 6px; border: 0; background: none; padding: 6px 8px; border-radius: 5px; font: inherit; color: inherit; cursor: pointer; text-align: left; }
button.collection:hover { background: #f0f0f0; }
button.collection.selected { background: var(--brand-soft); color: #0063c7; font-weight: 600; }
.collection-name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.collection-count { font-size: 11px; color: var(--muted); font-weight: 400; }
.collection-view { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.collection-head { display: flex; align-items: baseline; gap: 10px; padding: 10px 14px 8px; }
.collection-head h3 { margin: 0; font-size: 14px; }
.table-scroll { overflow: auto; flex: 1; min-height: 0; }
table.variables { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.variables th { position: sticky; top: 0; background: #fff; z-index: 1; text-align: left; font-weight: 500; color: var(--muted); font-size: 11.5px; padding: 6px 12px; border-bottom: 1px solid var(--line); }
table.variables td { padding: 5px 12px; border-bottom: 1px solid #f3f3f3; vertical-align: middle; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
table.variables th.name-col, table.variables td.name-col { width: 44%; }
table.variables.many-modes th.name-col, table.variables.many-modes td.name-col { width: 38%; }
table.variables tr:hover td { background: #fafafa; }
td.changed { animation: flash 2.6s ease-out both; }
@keyframes flash { 0% { background: var(--flash); box-shadow: inset 3px 0 0 #f7a600; } 70% { background: var(--flash); } 100% { background: transparent; box-shadow: none; } }
tr.orphan-row td { opacity: .55; text-decoration: line-through; }
.var-name { display: inline-flex; align-items: center; gap: 6px; min-width: 0; }
.type-icon { display: inline-grid; place-items: center; width: 18px; height: 18px; border-radius: 4px; background: #f0f0f0; color: var(--muted); font-size: 11px; flex: none; }
.group { color: var(--faint); font-size: 12px; }
.var-name { overflow: hidden; }
.var-name .leaf { overflow: hidden; text-overflow: ellipsis; }
.leaf { font-weight: 500; }
.value { display: inline-flex; align-items: center; gap: 7px; max-width: 100%; }
.swatch { width: 18px; height: 18px; border-radius: 4px; flex: none; background: repeating-conic-gradient(#ddd 0% 25%, #fff 0% 50%) 50% / 8px 8px; box-shadow: inset 0 0 0 1px rgba(0,0,0,.12); overflow: hidden; }
.swatch-fill { display: block; width: 100%; height: 100%; }
.value.number code { color: #0b6bcb; }
.value.string { color: #333; overflow: hidden; text-overflow: ellipsis; }
.value.boolean { color: var(--muted); }
.switch { width: 22px; height: 12px; border-radius: 999px; background: #c4c4c4; position: relative; flex: none; }
.switch::after { content: ""; position: absolute; top: 2px; left: 2px; width: 8px; height: 8px; border-radius: 50%; background: #fff; }
.value.boolean.on .switch { background: var(--brand); }
.value.boolean.on .switch::after { left: 12px; }
.alias-chip { display: inline-block; max-width: 100%; padding: 1px 6px; border-radius: 4px; background: #f0f0f0; border: 1px solid #e0e0e0; font-size: 11.5px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: middle; }
.value.alias { min-width: 0; }
.alias-collection { color: var(--muted); }
.empty-file { padding: 60px 24px; text-align: center; }

/* Plugin window, framed like Figma's */
.plugin-panel .body { padding: 14px; display: flex; flex-direction: column; align-items: center; gap: 10px; background: #e5e5e5; }
.plugin-window { width: 362px; border-radius: 8px; overflow: hidden; background: #fff; box-shadow: 0 2px 14px rgba(0,0,0,.18), 0 0 0 1px rgba(0,0,0,.1); }
.plugin-titlebar { display: flex; align-items: center; gap: 8px; height: 40px; padding: 0 12px; border-bottom: 1px solid var(--line); font-weight: 600; font-size: 12px; }
.plugin-titlebar .close { margin-left: auto; color: var(--muted); }
#plugin-slot { width: 360px; height: 560px; margin: 0 auto; }
#plugin-slot:empty::after { content: "The plugin is closed."; display: grid; place-items: center; height: 100%; color: var(--muted); }
iframe.plugin-frame { display: block; border: 0; width: 360px; height: 560px; background: #fff; }
.plugin-controls { display: flex; gap: 8px; }
.plugin-controls button { font: inherit; font-size: 12px; border: 1px solid #c8c8c8; border-radius: 6px; padding: 5px 10px; background: #fff; cursor: pointer; }
.plugin-controls button:hover { border-color: var(--ink); }
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function pageHtml(options: PageOptions): string {
  const config = JSON.stringify(options.config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title><style>${STYLE}</style></head>
<body data-plugin="closed" data-applied="0">
<header class="top">
  <div><h1>${escapeHtml(options.title)}</h1><p>${escapeHtml(options.subtitle)}</p></div>
  <div class="flow"><span class="step">Google Sheet (add-on)</span><span class="arrow">→</span><span class="step">Relay</span><span class="arrow">→</span><span class="step">Figma plugin</span><span class="arrow">→</span><span class="step">Variables</span></div>
</header>
<div class="layout${options.activity ? '' : ' no-activity'}">
  <section class="panel sheet-panel"><div class="panel-head">Spreadsheet <span class="badge sheets">Apps Script add-on</span></div><div class="body" id="activity"></div></section>
  <section class="panel figma-panel"><div class="panel-head">Figma file · local variables <span class="spacer"></span><span class="muted small">what figma.variables holds</span></div><div class="body" id="variables"></div></section>
  <section class="panel plugin-panel"><div class="panel-head">Plugin <span class="badge">running in this page</span></div>
    <div class="body">
      <div class="plugin-window"><div class="plugin-titlebar">Sheets Live Variables<span class="close">✕</span></div><div id="plugin-slot"></div></div>
      <div class="plugin-controls"><button type="button" id="close-plugin">Close plugin</button><button type="button" id="open-plugin">Open plugin again</button></div>
      <p class="muted small" style="margin:0;text-align:center;max-width:340px">Close it, let the sheet change, open it again: it catches up from the relay.</p>
    </div>
  </section>
</div>
<script id="page-config" type="application/json">${config}</script>
<script src="page.js"></script>
<script>
document.getElementById('close-plugin').addEventListener('click', () => window.sheetsDemo.closePlugin());
document.getElementById('open-plugin').addEventListener('click', () => window.sheetsDemo.openPlugin());
</script>
</body></html>`;
}
