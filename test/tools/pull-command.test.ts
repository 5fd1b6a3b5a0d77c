// `sheets-figma-sync pull` (the built CLI, in a child process) against a real relay process: it writes
// what `export` writes from the same tabs, keeps the ETag and says "unchanged" the next time, follows
// the sheet's changes (removing the files of a tab that went), exits as `export` does for a sheet with
// errors, and exits 2 naming the cause when the relay cannot be reached or refuses the code. The README's
// GitHub Actions job runs as written (its pull and Style Dictionary steps), with the CLI as one file.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { encodePairingCode } from '../../shared/protocol/pairing-code';
import { subscribeToken } from '../../shared/protocol/signing';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { exampleTabs, root } from '../helpers/token-expectations';
import { newChannel, postChange, register, type TestChannel } from '../relay/support/relay-api';
import { publishCsv } from '../relay/support/token-sheet';

// Child processes on a loaded 2-core machine can take a while.
jest.setTimeout(120_000);

let relay: RelayProcess | undefined;
let dir = '';
afterAll(async () => {
  await relay?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pull-command-'));
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'cli'], { cwd: root, stdio: 'pipe', timeout: 60_000 });
  relay = await startRelayProcess({ TOKENS_RATE: '1000', TOKENS_BURST: '1000' });
});

const broken = ['Colors', 'Sizes'].map((t) => join(root, 'examples/broken', `${t}.csv`));

function cli(args: string[], env: Record<string, string> = {}, cwd = root): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/sheets-figma-sync.mjs'), ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function channelWith(files: readonly string[]): Promise<{ channel: TestChannel; code: string; sheet: Awaited<ReturnType<typeof publishCsv>>['sheet'] }> {
  const channel = newChannel();
  expect((await register(relay!.url, channel, channel.secret)).status).toBe(201);
  const { sheet } = await publishCsv(relay!.url, channel, files);
  return { channel, sheet, code: encodePairingCode({ relayUrl: relay!.url, channelId: channel.channelId, token: channel.token }) };
}

/** Every file under a folder (relative path → text), the pull state left out. */
function tree(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name !== '.sfs-pull.json') out[relative(folder, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(folder);
  return out;
}

function mtimes(folder: string): number[] {
  return Object.keys(tree(folder)).map((f) => statSync(join(folder, f)).mtimeMs);
}

test('pull writes what export writes from the same tabs; the next pull of an unchanged sheet says "unchanged" and writes nothing', async () => {
  const { code, channel } = await channelWith(exampleTabs);
  const out = join(dir, 'tokens');
  const first = cli(['pull', '--code', code, '--out', out]);
  expect([first.status, first.stderr]).toEqual([0, '']);
  expect(first.stdout.split('\n')).toEqual([
    ...['Primitives/Value', 'Semantic/Light', 'Semantic/Dark', 'Typography/Desktop', 'Typography/Mobile', 'Flags/Value'].map((f) => `wrote ${join(out, `${f}.tokens.json`)}`),
    `wrote ${join(out, 'tokens.resolver.json')}`,
    '7 files in dtcg format (resolver layout) at seq 1',
    '',
    '4 collections, 99 variables; 0 errors, 0 warnings',
    '',
  ]);
  const exported = join(dir, 'exported');
  expect(cli(['export', '--out', exported, ...exampleTabs]).status).toBe(0);
  expect(tree(out)).toEqual(tree(exported));
  const state = readFileSync(join(out, '.sfs-pull.json'), 'utf8');
  expect(state).not.toContain(channel.token);
  expect(JSON.parse(state)).toMatchObject({ channelId: channel.channelId, format: 'dtcg', layout: 'resolver', seq: 1, etag: expect.stringMatching(/^W\/"/) });

  const before = mtimes(out);
  const second = cli(['pull', '--code', code, '--out', out]);
  expect([second.status, second.stderr, second.stdout]).toEqual([0, '', `unchanged: ${out} holds the tokens at seq 1 (dtcg format (resolver layout))\n\n4 collections, 99 variables; 0 errors, 0 warnings\n`]);
  expect(mtimes(out)).toEqual(before);
  await relay!.waitForLog((e) => e.route === '/v2/channels/:id/tokens' && e.channel === channel.channelId && e.status === 304);
  expect(relay!.logs.filter((e) => e.route === '/v2/channels/:id/tokens' && e.channel === channel.channelId).map((e) => [e.status, e.outcome])).toEqual([
    [200, 'tokens-exported'],
    [304, 'tokens-not-modified'],
  ]);
});

test('after the sheet changes, pull writes the new files and removes those of a tab that went; a deleted file makes it fetch again', async () => {
  const { code, channel, sheet } = await channelWith(exampleTabs);
  const out = join(dir, 'changing');
  expect(cli(['pull', '--code', code, '--out', out, '--layout', 'single']).status).toBe(0);
  expect(Object.keys(tree(out)).sort()).toEqual(['Flags.tokens.json', 'Primitives.tokens.json', 'Semantic.tokens.json', 'Typography.tokens.json']);
  // A snapshot without the Flags tab, and a colour changed.
  const tabs = sheet.grid.tabs.filter((t) => t.name !== 'Flags').map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows }));
  const primitives = tabs.find((t) => t.name === 'Primitives')!;
  primitives.values = primitives.values.map((row, i) => (i === 1 ? [row[0]!, '#abcdef', ...row.slice(2)] : row));
  expect((await postChange(relay!.url, channel, sheet.snapshot(tabs))).status).toBe(200);
  const changed = cli(['pull', '--code', code, '--out', out, '--layout', 'single']);
  expect(changed.status).toBe(0);
  expect(changed.stdout.split('\n')).toEqual(expect.arrayContaining([`removed ${join(out, 'Flags.tokens.json')}`, '3 files in dtcg format (single layout) at seq 2']));
  expect(Object.keys(tree(out)).sort()).toEqual(['Primitives.tokens.json', 'Semantic.tokens.json', 'Typography.tokens.json']);
  expect(readFileSync(join(out, 'Primitives.tokens.json'), 'utf8')).toContain('"hex": "#abcdef"');
  rmSync(join(out, 'Semantic.tokens.json'));
  const again = cli(['pull', '--code', code, '--out', out, '--layout', 'single']);
  expect([again.status, again.stdout.startsWith('wrote ')]).toEqual([0, true]);
  expect(existsSync(join(out, 'Semantic.tokens.json'))).toBe(true);
  // Another format is other files: fetched, not "unchanged".
  const css = cli(['pull', '--code', code, '--out', out, '--format', 'css', '--mode', 'Dark']);
  expect([css.status, css.stdout.split('\n')[0]]).toEqual([0, `wrote ${join(out, 'tokens.css')}`]);
});

test('a sheet with errors: its good rows are written, the problems printed as export prints them, exit 1, and the same when unchanged', async () => {
  const { code } = await channelWith(broken);
  const out = join(dir, 'broken');
  const pulled = cli(['pull', '--code', code, '--out', out, '--format', 'json']);
  const exported = cli(['export', '--format', 'json', '--out', join(dir, 'broken-exported'), ...broken]);
  expect([pulled.status, exported.status]).toEqual([1, 1]);
  const problems = (stdout: string): string[] => stdout.split('\n').slice(stdout.split('\n').indexOf('Problems:'));
  expect(problems(pulled.stdout)).toEqual(problems(exported.stdout));
  expect(tree(out)).toEqual(tree(join(dir, 'broken-exported')));
  const again = cli(['pull', '--code', code, '--out', out, '--format', 'json']);
  expect([again.status, again.stdout.startsWith('unchanged: '), problems(again.stdout)]).toEqual([1, true, problems(exported.stdout)]);
});

describe('exit 2 with the cause', () => {
  test('a revoked code (the sheet rotated its key)', async () => {
    const { code, channel } = await channelWith(exampleTabs);
    const next = newChannel().secret;
    expect((await register(relay!.url, channel, next, { signWith: channel.secret })).status).toBe(200);
    const { status, stderr } = cli(['pull', '--code', code, '--out', join(dir, 'revoked')]);
    expect([status, stderr.split(': TOKEN_REVOKED: ')[0]]).toEqual([2, 'sheets-figma-sync: this pairing code was revoked']);
    expect(existsSync(join(dir, 'revoked'))).toBe(false);
    const fresh = encodePairingCode({ relayUrl: relay!.url, channelId: channel.channelId, token: subscribeToken(next, channel.channelId) });
    expect(cli(['pull', '--code', fresh, '--out', join(dir, 'revoked')]).status).toBe(0);
  });

  test('a relay that cannot be reached', async () => {
    const stopped = await startRelayProcess();
    const url = stopped.url;
    await stopped.stop();
    const code = encodePairingCode({ relayUrl: url, channelId: newChannel().channelId, token: newChannel().token });
    const { status, stderr } = cli(['pull', '--code', code, '--out', join(dir, 'unreachable')]);
    expect([status, stderr]).toEqual([2, `sheets-figma-sync: the relay at ${url} could not be reached (ECONNREFUSED); check the address in the pairing code and that the relay is running\n`]);
  });

  test('a code the relay does not know, a mode no tab has, a damaged code, no code', async () => {
    const { code } = await channelWith(exampleTabs);
    const stranger = encodePairingCode({ relayUrl: relay!.url, channelId: newChannel().channelId, token: newChannel().token });
    expect(cli(['pull', '--code', stranger, '--out', join(dir, 'x')]).stderr).toMatch(/^sheets-figma-sync: the relay does not hold this channel: UNKNOWN_CHANNEL: /);
    expect(cli(['pull', '--code', code, '--out', join(dir, 'x'), '--mode', 'Sepia'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'sheets-figma-sync: no tab has this mode: UNKNOWN_MODE: No tab of this sheet has a mode of this name; the detail lists the modes there are. ("Sepia"; the modes are "Value", "Light", "Desktop", "Dark", "Mobile")\n',
    });
    expect(cli(['pull', '--code', `${code.slice(0, 20)}!`, '--out', join(dir, 'x')]).stderr.split('\n')[0]).toMatch(/^sheets-figma-sync: --code: This pairing code is damaged or incomplete/);
    expect(cli(['pull', '--out', join(dir, 'x')]).stderr).toBe("sheets-figma-sync: pull needs the pairing code: --code sfs1… or SFS_PAIRING_CODE in the environment (copy it from the sheet's add-on sidebar)\n");
    expect(cli(['pull', '--code', code]).stderr.split('\n')[0]).toBe('sheets-figma-sync: pull needs --out <dir>, the folder to write the token files into');
    expect(cli(['pull', '--code', code, '--out', join(dir, 'x'), '--format', 'css', '--layout', 'single']).stderr).toBe('sheets-figma-sync: --layout: layout applies to the dtcg format only, not css\n');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});

/** The README's GitHub Actions job: its steps by name, each `run` and `env` as written. */
function readmeJob(): Map<string, { run: string; env: Record<string, string> }> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /<!-- the pull and build steps run as written by test\/tools\/pull-command\.test\.ts -->\n```yaml\n([\s\S]*?)\n```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no GitHub Actions job marked for this test');
  const steps = new Map<string, { run: string; env: Record<string, string> }>();
  let current: { run: string; env: Record<string, string> } | undefined;
  let inEnv = false;
  for (const line of block.split('\n')) {
    const name = /^\s+- name: (.+)$/.exec(line);
    if (name) {
      current = { run: '', env: {} };
      steps.set(name[1]!, current);
      inEnv = false;
      continue;
    }
    const run = /^\s+run: (.+)$/.exec(line);
    if (run && current) current.run = run[1]!;
    if (/^\s+env:$/.test(line)) inEnv = true;
    const variable = /^\s+([A-Z_]+): (.+)$/.exec(line);
    if (inEnv && variable && current) current.env[variable[1]!] = variable[2]!;
  }
  return steps;
}

test("the README's GitHub Actions job pulls with the one-file CLI and builds CSS with Style Dictionary, as written", async () => {
  const { code } = await channelWith(exampleTabs);
  const job = readmeJob();
  const pull = job.get("Pull the sheet's tokens");
  const build = job.get('Build CSS with Style Dictionary');
  expect(pull?.env).toEqual({ SFS_PAIRING_CODE: '${{ secrets.SFS_PAIRING_CODE }}' });
  // The repository that builds the code: the CLI committed as one file, Style Dictionary installed, the build script beside it.
  const repo = join(dir, 'app');
  mkdirSync(join(repo, 'tools'), { recursive: true });
  copyFileSync(join(root, 'dist/cli/cli.js'), join(repo, 'tools/sheets-figma-sync.cjs'));
  symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'), 'dir');
  const script = /<!-- tested as written by test\/tools\/style-dictionary\.test\.ts -->\n```js\n([\s\S]*?)\n```/.exec(readFileSync(join(root, 'README.md'), 'utf8'))![1]!;
  writeFileSync(join(repo, 'build-tokens.mjs'), script);
  // stdin not a socket: bash reads ~/.bashrc when it looks started by a remote shell.
  const sh = (command: string, env: Record<string, string> = {}) =>
    spawnSync('bash', ['-c', command], { cwd: repo, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } });
  const pulled = sh(pull!.run, { SFS_PAIRING_CODE: code });
  expect([pulled.status, pulled.stderr]).toEqual([0, '']);
  expect(existsSync(join(repo, 'tokens/tokens.resolver.json'))).toBe(true);
  const built = sh(build!.run);
  expect([built.status, built.stderr]).toEqual([0, '']);
  expect(readFileSync(join(repo, 'build/Semantic-Dark.css'), 'utf8')).toMatch(/--semantic-color-bg-default: #111827;/);
  const again = sh(pull!.run, { SFS_PAIRING_CODE: code });
  expect([again.status, again.stdout.split('\n')[0]]).toEqual([0, 'unchanged: tokens holds the tokens at seq 1 (dtcg format (resolver layout))']);
});
