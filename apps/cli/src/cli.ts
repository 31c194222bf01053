/**
 * The CLI frame of docs/api.md: every command prints JSON on stdout, errors on stderr,
 * and exits 0 (ok), 1 (refused by the rules) or 2 (bad input).
 */
export type CliExit = 0 | 1 | 2;

export interface CliIo {
  out(value: unknown): void;
  err(value: unknown): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** All of standard input (e.g. a password given with `--password-stdin`); process.stdin when absent. */
  readStdin?(): Promise<string>;
}

export interface CliCommand {
  name: string;
  /** One line, shown by `help`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<CliExit>;
}

/** Bad input: the message names the field or argument that is wrong. Exit 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const stdio: CliIo = {
  out: (value) => process.stdout.write(JSON.stringify(value, null, 2) + '\n'),
  err: (value) => process.stderr.write(JSON.stringify(value) + '\n'),
  env: process.env,
  cwd: process.cwd(),
};

export async function runCli(commands: CliCommand[], argv: string[], io: CliIo = stdio): Promise<CliExit> {
  const [name, ...args] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err({
      error: name ? `unknown command "${name}"` : 'no command given',
      commands: commands.map((c) => c.usage),
    });
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.err({ error: e.message });
      return 2;
    }
    // An unexpected failure is still reported as one JSON line, never as a bare stack trace.
    io.err({ error: e instanceof Error ? e.message : String(e), kind: e instanceof Error ? e.name : typeof e });
    return 2;
  }
}

/** Parses `--flag value` pairs and positional arguments. */
export function parseFlags(args: string[]): { flags: Record<string, string>; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const key = a.slice(2);
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliUsageError(`--${key} needs a value`);
      flags[key] = next;
      i++;
    } else positional.push(a);
  }
  return { flags, positional };
}
