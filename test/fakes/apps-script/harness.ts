// What the add-on's integration tests share: the built add-on (in a temporary copy), a real relay
// process behind a gate that can take it down, worlds (fake spreadsheets) wired to it, and a
// mirror: a WebSocket subscriber that applies what the relay fans out, to compare with the sheet.

import { gridHash } from '../../../shared/protocol/canonical-hash';
import { applyChange, emptyGrid, type Grid } from '../../../shared/protocol/grid';
import { decodePairingCode } from '../../../shared/protocol/pairing-code';
import type { ServerMessage } from '../../../shared/protocol/messages';
import { startRelayProcess, type RelayProcess } from '../../helpers/relay-process';
import { subscribe, type TestSocket } from '../../helpers/ws-client';
import { buildAddon, type BuiltAddon } from './build-addon';
import { startRelayGate, type RelayGate } from './relay-gate';
import { createAddonWorld, type AddonWorld, type ExecutionError, type WorldOptions } from './run-addon';
import { gridOfSheets } from './sheet-grid';
import type { SidebarState } from '../../../apps-script/core/sidebar-state';
import type { Change } from '../../../shared/protocol/messages';

export const OWNER = 'owner@example.com';
export const EDITOR = 'editor@example.com';

export interface Harness {
  addon: BuiltAddon;
  relay: RelayProcess;
  /** The address the add-on uses: the gate in front of the relay. */
  gate: RelayGate;
  worlds: AddonWorld[];
  mirrors: Mirror[];
  /** A spreadsheet with a Colors tab (Name | Value), a Sizes tab and a Notes tab without a Name header. */
  world(options?: WorldOptions & { tabs?: Record<string, unknown[][]> }): AddonWorld;
  close(): Promise<void>;
}

export const DEFAULT_TABS: Record<string, unknown[][]> = {
  Colors: [
    ['Name', 'Value'],
    ['color/brand/primary', '#1a73e8'],
    ['color/brand/secondary', '#34a853'],
  ],
  Notes: [['Anything', 'goes here']],
  Sizes: [
    ['Name', 'Value'],
    ['space/sm', 4],
    ['space/md', 8],
  ],
};

export interface HarnessOptions {
  /**
   * The registration key built into the add-on. By default the relay's first REGISTRATION_KEY (the
   * production setup: the operator builds the add-on with the relay's key); '' builds it without one.
   */
  addonRegistrationKey?: string;
}

export async function startHarness(relayEnv: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const builtKey = options.addonRegistrationKey ?? relayEnv.REGISTRATION_KEY?.split(',')[0]?.trim() ?? '';
  const addon = await buildAddon(undefined, undefined, builtKey || undefined);
  let relay: RelayProcess | undefined;
  let gate: RelayGate | undefined;
  const worlds: AddonWorld[] = [];
  const mirrors: Mirror[] = [];
  try {
    relay = await startRelayProcess(relayEnv);
    gate = await startRelayGate(relay.url);
  } catch (err) {
    await relay?.stop();
    addon.remove();
    throw err;
  }
  return {
    addon,
    relay,
    gate,
    worlds,
    mirrors,
    world(options = {}) {
      const w = createAddonWorld({ users: [OWNER, EDITOR], distDir: addon.distDir, fetchTimeoutMs: 3000, ...options });
      for (const [name, values] of Object.entries(options.tabs ?? DEFAULT_TABS)) {
        const sheet = w.spreadsheet.addSheet(name);
        if (values.length) sheet.getRange(1, 1, values.length, values[0]!.length).setValues(values);
      }
      w.allowInsecureRelay();
      worlds.push(w);
      return w;
    },
    async close() {
      for (const m of mirrors) await m.close();
      for (const w of worlds) await w.close();
      await gate!.close();
      await relay!.stop();
      addon.remove();
    },
  };
}

/** What the relay should hold for these tabs of a world: values as the protocol carries them, normalized. */
export function expectedGrid(world: AddonWorld, tabNames: string[]): Grid {
  return gridOfSheets(tabNames.map((name) => world.spreadsheet.tab(name)));
}

/** A plugin-like subscriber: applies snapshots and patches in order and checks every hash. */
export interface Mirror {
  socket: TestSocket;
  channelId: string;
  grid: Grid;
  seq: number;
  /** Every snapshot/patch received, in order. */
  changes: Extract<ServerMessage, { type: 'snapshot' | 'patch' }>[];
  /** Waits until the mirror has applied `seq` (or later). */
  until(seq: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function mirrorOf(h: Harness, pairingCode: string): Promise<Mirror> {
  const decoded = decodePairingCode(pairingCode);
  if (!decoded.ok) throw new Error(decoded.message);
  const { channelId, token } = decoded.link;
  // The mirror talks to the relay directly: the gate only stands between the add-on and the relay.
  const { socket } = await subscribe(h.relay.url, channelId, token, { client: { name: 'Mirror file' } });
  const mirror: Mirror = {
    socket,
    channelId,
    grid: emptyGrid(),
    seq: -1,
    changes: [],
    async until(seq, timeoutMs = 10_000) {
      while (mirror.seq < seq) {
        const message = await socket.next(timeoutMs);
        if (message.type !== 'snapshot' && message.type !== 'patch') continue;
        mirror.grid = applyChange(mirror.grid, message.type === 'snapshot' ? { kind: 'snapshot', tabs: message.tabs } : { kind: 'patch', tabs: message.tabs });
        if (gridHash(mirror.grid) !== message.hash) throw new Error(`the mirror's grid does not hash to ${message.hash} after seq ${message.seq}`);
        mirror.seq = message.seq;
        mirror.changes.push(message);
      }
    },
    close: async () => {
      await socket.close();
    },
  };
  h.mirrors.push(mirror);
  return mirror;
}

/** A fresh world connected by the owner, with a mirror that has the first snapshot; counters reset. */
export async function connectedWorld(
  h: Harness,
  setup?: (w: AddonWorld) => void,
  options?: WorldOptions & { tabs?: Record<string, unknown[][]> },
): Promise<{ world: AddonWorld; mirror: Mirror; state: SidebarState }> {
  const world = h.world(options);
  setup?.(world);
  const state = world.run(OWNER, 'connect', [h.gate.url]) as SidebarState;
  const mirror = await mirrorOf(h, state.pairingCode!);
  await mirror.until(1);
  world.resetCounters();
  return { world, mirror, state };
}

/** What the sidebar shows `user` (the owner unless given): an execution of getSidebarState. */
export const sidebarState = (world: AddonWorld, user = OWNER): SidebarState => world.run(user, 'getSidebarState') as SidebarState;

/** The change the add-on sent in fetch `i` (since the last reset). */
export const sentChange = (world: AddonWorld, i: number): Change => JSON.parse(world.fetches[i]!.bodyText) as Change;

/** The error an add-on execution threw (fails the test when it did not throw). */
export function thrown(fn: () => unknown): ExecutionError {
  try {
    fn();
  } catch (err) {
    return err as ExecutionError;
  }
  throw new Error('expected the call to throw');
}
