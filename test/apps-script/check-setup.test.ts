// Check setup through the built add-on: every step runs and is timed, failures stay in their step,
// the report names the product version and carries nothing secret.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SetupReport } from '../../apps-script/core/setup-report';
import { ADDON_SCOPES } from '../../apps-script/core/product';
import { decodePairingCode } from '../../shared/protocol/pairing-code';
import { connectedWorld, OWNER, thrown } from '../fakes/apps-script/harness';
import { SCOPES } from '../fakes/apps-script/run-addon';
import { useHarness } from '../fakes/apps-script/use-harness';

const ROOT = join(__dirname, '../..');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const results = (r: SetupReport) => r.steps.map((s) => [s.name, s.result]);

describe('Check setup', () => {
  const h = useHarness();

  it('lists the manifest’s scopes, as appsscript.json does', () => {
    expect(ADDON_SCOPES).toEqual(JSON.parse(readFileSync(join(ROOT, 'appsscript.json'), 'utf8')).oauthScopes);
  });

  it('on a connected sheet runs every step, and the report has the version and nothing secret', async () => {
    const { world, state } = await connectedWorld(h);
    const report = world.run(OWNER, 'checkSetup') as SetupReport;
    expect(results(report)).toEqual([
      ['Authorization', 'ok'],
      ['Connection', 'ok'],
      ['Your triggers', 'ok'],
      ['Hourly trigger', 'skip'],
      ['Relay reachable', 'ok'],
      ['Signature accepted', 'ok'],
      ['Queue', 'ok'],
      ['Sheet as last sent', 'ok'],
    ]);
    expect(report.version).toBe(version);
    expect(report.text.split('\n')[0]).toMatch(new RegExp(`^Sheets to Figma sync add-on ${version.replace(/\./g, '\\.')} \\(protocol v2\\) · Check setup at \\d{4}-`));
    expect(report.text).toContain('[ok]   Your triggers (');
    expect(report.text).toContain('handleEdit, handleChange, retryQueue in this document (3 expected); 3 of 20 across your documents; 1 person connected here');
    expect(report.text.split('\n').at(-1)).toBe('All 8 checks passed.');
    expect(report.steps.every((s) => Number.isInteger(s.ms) && s.ms >= 0)).toBe(true);
    const link = decodePairingCode(state.pairingCode!);
    if (!link.ok) throw new Error(link.message);
    for (const secret of [world.documentProperties.data.get('sfs.secret')!, state.pairingCode!, link.link.token, link.link.channelId]) {
      expect(JSON.stringify(report)).not.toContain(secret);
    }
  });

  it('keeps going when the relay is down: those two steps fail, the rest still run', async () => {
    const { world } = await connectedWorld(h);
    await h.gate.set({ kind: 'refuse' });
    try {
      const report = world.run(OWNER, 'checkSetup') as SetupReport;
      expect(results(report).filter(([, r]) => r === 'fail')).toEqual([
        ['Relay reachable', 'fail'],
        ['Signature accepted', 'fail'],
      ]);
      expect(report.steps).toHaveLength(8);
      expect(report.text).toMatch(/\[FAIL\] Relay reachable \(\d+ ms\): GET \/healthz: .*Address unavailable/);
      expect(report.text).toMatch(/\[FAIL\] Signature accepted \(\d+ ms\): The relay could not be reached/);
      // The error quotes the request's URL: the channel id in it is shortened.
      const channelId = JSON.parse(world.documentProperties.data.get('sfs.channel')!).channelId as string;
      expect(report.text).not.toContain(channelId);
      expect(report.text).toContain(`/v2/channels/${channelId.slice(0, 8)}…/status`);
    } finally {
      await h.gate.set({ kind: 'open' });
    }
  });

  it('says when the hourly trigger ran without the document, and when the sheet differs from what was sent', async () => {
    const { world } = await connectedWorld(h);
    world.clockTriggerDocument = 'absent';
    world.hourly();
    world.edit(OWNER, 'Colors', 'B2', [['#123123']], { triggers: false });
    const report = world.run(OWNER, 'checkSetup') as SetupReport;
    expect(report.steps.find((s) => s.name === 'Hourly trigger')).toMatchObject({ result: 'warn', detail: expect.stringMatching(/^last ran \S+ WITHOUT the document/) });
    expect(report.steps.find((s) => s.name === 'Sheet as last sent')).toMatchObject({ result: 'warn', detail: expect.stringMatching(/^1 synced tab differ/) });
  });

  it('names an unticked scope, and a sheet that is not connected', () => {
    const world = h.world();
    world.ungrantedScopes.set(OWNER, new Set([SCOPES.scriptApp]));
    const report = world.run(OWNER, 'checkSetup') as SetupReport;
    expect(results(report).slice(0, 2)).toEqual([
      ['Authorization', 'fail'],
      ['Connection', 'fail'],
    ]);
    expect(report.steps[0]!.detail).toMatch(/^you must approve the add-on again \(every permission ticked\): https:\/\/script\.google\.com\//);
    expect(report.steps.filter((s) => s.name.startsWith('Relay') || s.name.startsWith('Signature')).map((s) => s.result)).toEqual(['skip', 'skip']);
    expect(thrown(() => world.run(OWNER, 'syncNow')).code).toBe('NOT_CONNECTED');
  });
});
