import type { CliCommand } from '../cli';

// The command registry: one line per command, each implemented in its own file beside this one.
export const commands: CliCommand[] = [];
