#!/usr/bin/env node
// Runs the CLI, building it first when dist/ does not have it yet.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/cli.js');
if (!existsSync(cli)) execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'cli'], { stdio: 'inherit' });
createRequire(import.meta.url)(cli);
