import { join } from 'node:path';

/**
 * Where a worker thread's entry lives next to the calling module, and how to start it: the built `.js`
 * in `dist/`, or the `.ts` source compiled on the fly by the one test register (tests and ts benches run
 * from the sources, with no build step).
 */
export function workerScript(callerFilename: string, callerDirname: string, name: string): { filename: string; execArgv?: string[] } {
  const fromSources = callerFilename.endsWith('.ts');
  return {
    filename: join(callerDirname, `${name}${fromSources ? '.ts' : '.js'}`),
    // Built: the thread inherits the process's node flags (as a Worker does by default), e.g. --cpu-prof.
    execArgv: fromSources ? ['-r', join(__dirname, '../test-support/ts-register.js')] : undefined,
  };
}
