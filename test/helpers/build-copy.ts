// Runs scripts/build.mjs in a temporary copy of the sources (node_modules linked, not copied), so a
// test builds the real bundles without racing the tests, or other test files, that rebuild dist/.
//
// API
//   copyForBuild(prefix, root, sources?) → BuildCopy   a fresh copy under the OS temp folder
//   BuildCopy
//     dir                      the copy (its dist/ holds what build() wrote)
//     build(targets, relayUrl, env?) → BuildResult   RELAY_URL is relayUrl, or unset when undefined;
//                              PLUGIN_ID and REGISTRATION_KEY are unset unless `env` sets them
//     remove()                 deletes the copy
//   builtOrThrow(result, what) throws "<what> failed: <stderr>" unless the build exited 0
//   defaultRelayUrls(root)     the relay URLs the build uses when RELAY_URL is unset

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What scripts/build.mjs reads for the apps-script and figma-plugin targets. */
export const BUILD_SOURCES: readonly string[] = ['scripts', 'shared', 'apps-script', 'figma-plugin', 'appsscript.json', 'tsconfig.json', 'package.json'];

/** A build may bundle several targets on a busy machine. */
const BUILD_TIMEOUT_MS = 120_000;

export interface BuildResult {
  /** The exit code; null when the build was killed (its timeout). */
  code: number | null;
  stderr: string;
  /** Why the build did not exit 0, as Node words it; undefined when it did. */
  error: string | undefined;
}

export interface BuildCopy {
  dir: string;
  build(targets: readonly string[], relayUrl: string | undefined, env?: Record<string, string>): Promise<BuildResult>;
  remove(): void;
}

/** Copies `sources` of the repository at `root` into a new temporary folder whose name starts with `prefix`. */
export function copyForBuild(prefix: string, root: string, sources: readonly string[] = BUILD_SOURCES): BuildCopy {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    for (const source of sources) cpSync(join(root, source), join(dir, source), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch (err) {
    remove();
    throw err;
  }
  return {
    dir,
    build: (targets, relayUrl, extra = {}) => {
      // RELAY_URL, PLUGIN_ID and REGISTRATION_KEY are always decided here, so a value in the caller's environment cannot leak into the bundle.
      const env = { ...process.env };
      delete env.RELAY_URL;
      delete env.PLUGIN_ID;
      delete env.REGISTRATION_KEY;
      if (relayUrl !== undefined) env.RELAY_URL = relayUrl;
      Object.assign(env, extra);
      return new Promise((resolve) => {
        execFile(process.execPath, ['scripts/build.mjs', ...targets], { cwd: dir, env, timeout: BUILD_TIMEOUT_MS }, (err, _stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr, error: err?.message });
        });
      });
    },
    remove,
  };
}

/** Throws, naming the build and the reason, unless it exited 0. */
export function builtOrThrow(result: BuildResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what} failed: ${result.stderr || result.error}`);
}

/** The relay URLs the build uses when RELAY_URL is unset, read from the build script itself. */
export function defaultRelayUrls(root: string): Promise<string[]> {
  const script = `import('./scripts/build.mjs').then((m) => process.stdout.write(JSON.stringify(m.relayUrls({}))))`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as string[])));
  });
}
