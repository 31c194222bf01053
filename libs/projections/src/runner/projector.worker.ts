/**
 * The projector thread: the read side's runner on its own connections (the event log read-only in use,
 * the read models read-write), so projecting never takes the event loop that serves requests. It
 * reports its checkpoints after every commit; the main thread answers `caughtUp` from them.
 */
import { basename, dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteEventStore, runInBackground } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import { ProjectionRunner, type ProjectionStatus } from './projection-runner';
import { ReadModelDb } from './read-model-db';

// Behind the requests: yields the cores to the event loop and the writer thread when both are busy.
runInBackground();

export interface ProjectorThreadData {
  eventsFile: string;
  readModelsFile: string;
}

export type ProjectorToMain = { status: ProjectionStatus[] } | { log: 'debug' | 'error'; message: string } | { stopped: true };
export type MainToProjector = { expedite: number } | { stop: true };

const { eventsFile, readModelsFile } = workerData as ProjectorThreadData;
const port = parentPort!;
const post = (message: ProjectorToMain): void => port.postMessage(message);
const log =
  (level: 'debug' | 'error') =>
  (message: string, ...rest: unknown[]) =>
    post({ log: level, message: [message, ...rest.map(String)].join(' ') });

// Appends of this process wake the subscription at once; those of other processes on the file (the other
// cluster workers, whose reads wait on this projector's checkpoints, and the CLI) are seen at the poll.
const store = openSqliteEventStore({ directory: dirname(eventsFile), fileName: basename(eventsFile), logger: { error: log('error') }, pollIntervalMs: 25 });

async function main(): Promise<void> {
  const readModels = await ReadModelDb.open(readModelsFile, ALL_PROJECTIONS);
  const runner: ProjectionRunner = new ProjectionRunner(store, readModels, {
    logger: { log: log('debug'), error: log('error') },
    afterCommit: () => post({ status: runner.status() }),
  });

  port.on('message', (message: MainToProjector) => {
    if ('expedite' in message) {
      // A reader waits for this position: a commit deferred for coalescing runs now.
      runner.caughtUp(message.expedite).catch(() => undefined);
      return;
    }
    void (async () => {
      await runner.stop();
      await readModels.close();
      await store.close();
      post({ stopped: true });
      port.close();
    })();
  });
  await runner.refreshKnown();
  runner.start();
  post({ status: runner.status() });
}

void main().catch((error: unknown) => {
  log('error')(`projections: the projector thread cannot start: ${String(error)}`);
  // Exiting lets the supervisor restart the thread.
  process.exit(1);
});
