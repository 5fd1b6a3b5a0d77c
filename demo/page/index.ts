// The host page's script: one Figma file (the counting fake), the plugin opened on it as Figma
// opens it (plugin-session.ts), the file's variables drawn live, and — in the demo — the sheet's
// scripted edits as they happen. Exposes window.sheetsDemo (page-api.ts) for the demo and tests.

import type { Orphan } from '../../shared/sheet/model';
import type { MainToUi } from '../../shared/plan/plugin-messages';
import { createFakeFigma, type FakeNode } from '../../test/fakes/figma/fake-figma';
import { seedExistingFile } from '../../test/fakes/figma/existing-file';
import { listVariables, readFileModel } from '../../test/helpers/e2e-file-model';
import { renderActivity, type ActivityState, type DemoEvent } from './activity-view';
import type { AppliedRecord, PageApi } from './page-api';
import { openPluginSession, type PluginSession } from './plugin-session';
import { renderVariables, type ViewState } from './variables-view';

interface PageConfig {
  /** Open the plugin as soon as the page loads. */
  autoOpen: boolean;
  /** Follow the demo's sheet activity at /events. */
  events: boolean;
  /** Figma's mode limit for the fake file (Professional: 10). */
  modeLimit: number;
}

function readConfig(): PageConfig {
  const text = document.getElementById('page-config')?.textContent ?? '{}';
  const given = JSON.parse(text) as Partial<PageConfig>;
  return { autoOpen: given.autoOpen ?? false, events: given.events ?? false, modeLimit: given.modeLimit ?? 10 };
}

function required(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page needs an element with id "${id}"`);
  return node;
}

const config = readConfig();
const fake = createFakeFigma({ modeLimit: config.modeLimit, fileName: 'Design system (demo)' });
// A twin collection is the bug of issue 10: thrown where the browser tests see page errors.
fake.file.onTwin = (twin) => {
  setTimeout(() => {
    throw new Error(`The Figma fake got a twin collection "${twin.name}" (${twin.by}): the sync must adopt or refuse, never make a twin`);
  }, 0);
};
const pluginSlot = required('plugin-slot');
const variablesRoot = required('variables');
const view: ViewState = { changed: new Map(), orphanNames: new Set() };
const activity: ActivityState = { events: [], applied: [] };
const applied: AppliedRecord[] = [];
const nodes = new Map<string, FakeNode>();
let session: PluginSession | undefined;
let uiHtml: Promise<string> | undefined;
let orphans: Orphan[] = [];
let redrawQueued = false;

function redraw(): void {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(() => {
    redrawQueued = false;
    view.orphanNames = new Set(orphans.map((o) => `${o.collectionName}|${o.name}`));
    renderVariables(variablesRoot, readFileModel(fake.file, new Set(), true), view);
    const activityRoot = document.getElementById('activity');
    if (activityRoot) renderActivity(activityRoot, activity);
    document.body.dataset.applied = String(applied.length);
  });
}

function onPosted(message: MainToUi): void {
  if (message.type === 'applied') {
    const receivedAt = session?.applyReceivedAt.get(message.position.seq);
    const record: AppliedRecord = {
      ...(receivedAt !== undefined ? { applyReceivedAt: receivedAt } : {}),
      epoch: message.position.epoch,
      seq: message.position.seq,
      postedAt: Date.now(),
      created: message.counts.created,
      durationMs: message.durationMs,
      updated: message.counts.updated,
      problems: message.problems.length,
      orphans: message.orphans.length,
      ...(message.at !== undefined ? { at: message.at } : {}),
    };
    applied.push(record);
    activity.applied.push(record);
    orphans = message.orphans;
    redraw();
  } else if (message.type === 'orphans-removed') {
    orphans = message.orphans;
    redraw();
  } else if (message.type === 'init') {
    orphans = message.orphans;
  }
}

function openPlugin(options: { allowDownloads?: boolean } = {}): void {
  session?.close();
  const slot = pluginSlot;
  session = undefined;
  uiHtml ??= fetch('ui.html').then((res) => res.text());
  // The window loads its HTML first; the main thread starts with it, as when Figma runs the plugin.
  void uiHtml.then((html) => {
    session = openPluginSession(fake, html, slot, { onPosted, ...(options.allowDownloads ? { allowDownloads: true } : {}) });
    document.body.dataset.plugin = 'open';
  });
}

function closePlugin(): void {
  session?.close();
  session = undefined;
  document.body.dataset.plugin = 'closed';
}

const api: PageApi = {
  openPlugin,
  closePlugin,
  isOpen: () => session !== undefined,
  model: (exceptOrphans = false) => readFileModel(fake.file, exceptOrphans ? new Set(orphans.map((o) => o.variableId)) : new Set()),
  variables: () => listVariables(fake.file),
  applied: () => applied.slice(),
  lastApplied() {
    const list = session?.posted ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i]!;
      if (m.type === 'applied') return m;
    }
    return undefined;
  },
  orphans: () => orphans.slice(),
  posted: () => (session ? session.posted.slice() : []),
  bindNode(collection, name) {
    const variable = fake.variableNamed(collection, name);
    if (!variable) return undefined;
    const node = fake.createNode();
    node.setBoundVariable('fills', variable);
    nodes.set(node.id, node);
    return { nodeId: node.id, variableId: variable.id };
  },
  boundVariable: (nodeId) => nodes.get(nodeId)?.boundVariables.fills?.id,
  seedLink(link) {
    fake.figma.root.setPluginData('link', JSON.stringify({ relayUrl: link.relayUrl, channelId: link.channelId, token: link.token }));
  },
  variableWrites: () => fake.log.variableWrites(),
  seedExisting(spec) {
    seedExistingFile(fake.variables, fake.file, spec);
    redraw();
  },
  collectionsNamed: (name) => fake.file.collectionsNamed(name),
  boundValue(nodeId, mode) {
    let id = nodes.get(nodeId)?.boundVariables.fills?.id;
    for (let hops = 0; id !== undefined && hops < 20; hops++) {
      const variable = fake.file.variables.get(id);
      if (!variable) return undefined;
      const collection = fake.file.collections.get(variable.collectionIdRaw);
      const modes = collection?.modesRaw() ?? [];
      const modeId = (modes.find((m) => m.name === mode) ?? modes.find((m) => m.modeId === collection?.defaultModeRaw))?.modeId;
      const value = modeId === undefined ? undefined : variable.valueRaw(modeId);
      if (value && typeof value === 'object' && 'type' in value && value.type === 'VARIABLE_ALIAS') id = value.id;
      else return value;
    }
    return undefined;
  },
};
window.sheetsDemo = api;

function followEvents(): void {
  const source = new EventSource('events');
  source.onmessage = (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as DemoEvent;
    if (message.type === 'link' && !fake.figma.root.getPluginData('link')) {
      // The demo pairs for the visitor: the link a designer's pasted code would have stored.
      api.seedLink(message.link);
      if (!session) openPlugin();
    }
    activity.events.push(message);
    if (activity.events.length > 200) activity.events.splice(0, activity.events.length - 200);
    redraw();
  };
}

redraw();
if (config.events) followEvents();
if (config.autoOpen) openPlugin();
// Flashes fade on their own; a slow redraw keeps the "seconds ago" words true.
setInterval(redraw, 1000);
