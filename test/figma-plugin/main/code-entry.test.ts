// code.ts, bundled as the build bundles it, runs in a bare context with only `figma` and `__html__`:
// it shows the UI and answers the UI's first message.

import { build } from 'esbuild';
import { join } from 'node:path';
import { Script, createContext } from 'node:vm';
import { createFakeFigma } from '../../fakes/figma/fake-figma';

test('the bundled entry shows the UI with theme colours and serves the plugin on figma.ui', async () => {
  const out = await build({
    entryPoints: [join(__dirname, '../../../figma-plugin/code.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2017',
    logLevel: 'silent',
  });
  const fake = createFakeFigma({ fileName: 'Brand kit' });
  const shown: unknown[] = [];
  const figma = { ...fake.figma, showUI: (html: string, options: unknown) => shown.push(html, options) };
  new Script(out.outputFiles[0]!.text, { filename: 'code.js' }).runInContext(createContext({ figma, __html__: '<html></html>', setTimeout, Date }));
  expect(shown).toEqual(['<html></html>', { width: 360, height: 520, themeColors: true }]);

  const init = new Promise<void>((resolve) => {
    const post = fake.ui.postMessage.bind(fake.ui);
    fake.ui.postMessage = (message: unknown) => {
      post(message);
      if ((message as { type: string }).type === 'init') resolve();
    };
  });
  fake.ui.deliver({ type: 'ui-ready' });
  await init;
  expect(fake.ui.last('init')).toEqual({ type: 'init', fileName: 'Brand kit', settings: { paused: false, review: false }, orphans: [] });
});
