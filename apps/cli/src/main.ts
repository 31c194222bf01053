import 'reflect-metadata';
import { CliCommand, CliExit, runCli } from './cli';
import { commands } from './commands';

// Whatever the CLI writes (the data folder's stores, secrets, backups, bundles) is the owner's alone,
// as the server keeps it (docs/operations.md "Permissions").
process.umask(0o077);

// Entry point: `npm run --silent cli -- <command> ...`. Each command lives in ./commands/<name>.command.ts.
void runCli(commands, process.argv.slice(2)).then((code: CliExit) => {
  process.exitCode = code;
});
export type { CliCommand };
