// The command line split into a command, its options and its files: `sheets-figma-sync <command>
// [options] <files>...`. Options may come before or after the command; "--" ends them.

export type Command = 'check' | 'export' | 'import' | 'pull';

export const COMMANDS: readonly Command[] = ['check', 'export', 'import', 'pull'];

/** Options that take a value (`--out dir` or `--out=dir`), and which commands accept each option. */
const OPTIONS: Record<string, { value: boolean; commands: readonly Command[] }> = {
  '--json': { value: false, commands: ['check', 'import'] },
  '--format': { value: true, commands: ['export', 'pull'] },
  '--layout': { value: true, commands: ['export', 'pull'] },
  '--mode': { value: true, commands: ['export', 'pull'] },
  '--out': { value: true, commands: ['export', 'import', 'pull'] },
  '--code': { value: true, commands: ['pull'] },
};

export type CommandLine =
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string }
  | { kind: 'run'; command: Command; options: Map<string, string | true>; files: string[] };

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const options = new Map<string, string | true>();
  const files: string[] = [];
  let command: string | undefined;
  let optionsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!optionsDone && arg.startsWith('-') && arg !== '-') {
      // `npx sheets-figma-sync -- --help` passes the "--" on: before the command it means nothing.
      if (arg === '--') {
        optionsDone = command !== undefined;
        continue;
      }
      if (arg === '-h' || arg === '--help') return { kind: 'help' };
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      const spec = OPTIONS[name];
      if (!spec) return { kind: 'usage-error', message: `unknown option ${name}` };
      if (!spec.value) {
        if (eq > 0) return { kind: 'usage-error', message: `${name} takes no value` };
        options.set(name, true);
        continue;
      }
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') return { kind: 'usage-error', message: `${name} needs a value` };
      options.set(name, value);
    } else if (command === undefined) command = arg;
    else files.push(arg);
  }
  const use = 'use check, export, import or pull';
  if (command === undefined) return { kind: 'usage-error', message: `no command given; ${use}` };
  if (command === 'help') return { kind: 'help' };
  if (!(COMMANDS as readonly string[]).includes(command)) return { kind: 'usage-error', message: `unknown command "${command}"; ${use}` };
  const chosen = command as Command;
  for (const name of options.keys()) {
    if (!OPTIONS[name]!.commands.includes(chosen)) return { kind: 'usage-error', message: `option ${name} does not apply to ${chosen}` };
  }
  return { kind: 'run', command: chosen, options, files };
}
