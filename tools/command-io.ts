// What a command may do outside itself: print, read files and write files. The CLI passes Node's;
// tests may pass their own.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile?: (file: string) => string;
  /** Writes a file, creating its folders. */
  writeFile?: (file: string, text: string) => void;
}

export function readWith(io: CommandIo): (file: string) => string {
  return io.readFile ?? ((file) => readFileSync(file, 'utf8'));
}

export function writeWith(io: CommandIo): (file: string, text: string) => void {
  return (
    io.writeFile ??
    ((file, text) => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    })
  );
}

/** Why a file could not be read or written, in words. */
export function fileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  return err instanceof Error ? err.message : String(err);
}
