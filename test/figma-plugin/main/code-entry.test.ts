// code.ts, bundled as the build bundles it, runs in a bare context with only `figma` and `__html__`:
// it shows the UI and answers the UI's first message.

import { build } from 'esbuild';
import { join } from 'node:path';
import { Script, createContext } from 'node:vm';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { createFakeFigma, type FakeFigma } from '../../fakes/figma/fake-figma';

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [join(__dirname, '../../../figma-plugin/code.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2017',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/** Runs code.js in a bare context holding only what Figma's sandbox gives it; returns what showUI got. */
function run(code: string, fake: FakeFigma): unknown[] {
  const shown: unknown[] = [];
  const figma = { ...fake.figma, showUI: (html: string, options: unknown) => shown.push(html, options) };
  new Script(code, { filename: 'code.js' }).runInContext(createContext({ figma, __html__: '<html></html>', setTimeout, clearTimeout, Date }));
  return shown;
}

/** Resolves when the main thread posts a message of this type. */
function posted(fake: FakeFigma, type: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const post = fake.ui.postMessage.bind(fake.ui);
    fake.ui.postMessage = (message: unknown) => {
      post(message);
      if ((message as { type: string }).type === type) resolve();
    };
  });
}

/** Lets the event loop turn until `done` holds, at most 1,000 turns. */
async function turnsUntil(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 1000 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error(`still waiting for ${what} after 1,000 turns of the event loop`);
}

let code: string;
beforeAll(async () => {
  code = await bundle();
});

test('the bundled entry shows the UI with theme colours and serves the plugin on figma.ui', async () => {
  const fake = createFakeFigma({ fileName: 'Brand kit' });
  expect(run(code, fake)).toEqual(['<html></html>', { width: 360, height: 520, themeColors: true }]);
  const init = posted(fake, 'init');
  fake.ui.deliver({ type: 'ui-ready' });
  await init;
  expect(fake.ui.last('init')).toEqual({ type: 'init', fileName: 'Brand kit', settings: { paused: false, review: false }, orphans: [] });
  fake.closePlugin();
});

test('the bundled entry caches an applied snapshot in clientStorage and offers it in the next init', async () => {
  const fake = createFakeFigma({ fileName: 'Brand kit' });
  const link = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 'tokentokentokentokentoken' };
  const grid = { tabs: [{ tabId: 1, name: 'Spacing', rows: [['Name', 'Value'], ['space/1', 4]] }] };
  run(code, fake);
  fake.ui.deliver({ type: 'link-save', link });
  const applied = posted(fake, 'applied');
  fake.ui.deliver({ type: 'apply', position: { epoch: 'e1', seq: 1 }, grid, hash: gridHash(grid), snapshot: true });
  await applied;
  // The write runs after the applied report; its usage record lands last.
  await turnsUntil(() => [...fake.storage.keys()].some((k) => k.startsWith('grid-cache-use:')), 'the grid cache write');
  run(code, fake);
  const init = posted(fake, 'init');
  fake.ui.deliver({ type: 'ui-ready' });
  await init;
  expect(fake.ui.last('init').cached).toEqual({ position: { epoch: 'e1', seq: 1 }, hash: gridHash(grid), grid });
  // Closing stops each session's periodic drift check (an open one would keep this process alive).
  fake.closePlugin();
});
