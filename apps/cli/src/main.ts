import 'reflect-metadata';
import { CliCommand, CliExit, runCli } from './cli';
import { commands } from './commands';

// Entry point: `npm run --silent cli -- <command> ...`. Each command lives in ./commands/<name>.command.ts.
void runCli(commands, process.argv.slice(2)).then((code: CliExit) => {
  process.exitCode = code;
});
export type { CliCommand };
