/**
 * The approval process's tracker thread: the tracker (ProcessTracker) on its own connections to the log
 * and to process.db, so folding events into the process state takes no time from the event loop serving
 * requests. Folding decides no command (the manager's timer does, on the main thread); should a batch
 * ever queue one, the main thread is told to dispatch the outbox.
 */
import { basename, dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteEventStore, runInBackground } from '@cbec/event-store';
import { WorkingDayCalendar } from '../calendar';
import { systemClock } from '@cbec/platform';
import { SqliteProcessStateStore } from './process-state.store';
import { ProcessTracker } from './process-tracker';
import type { MainToTracker, ProcessTrackerThreadData, TrackerToMain } from './process-tracker-thread';

// Behind the requests: yields the cores to the event loop and the writer thread when both are busy.
runInBackground();

const data = workerData as ProcessTrackerThreadData;
const port = parentPort!;
const post = (message: TrackerToMain): void => port.postMessage(message);
const log =
  (level: 'log' | 'warn' | 'error') =>
  (message: string, ...rest: unknown[]): void =>
    post({ log: level, message: [message, ...rest.map(String)].join(' ') });

// Other processes' appends (the other cluster workers, whose deadlines read this tracker's state) at the poll.
const events = openSqliteEventStore({
  directory: dirname(data.eventsFile),
  fileName: basename(data.eventsFile),
  logger: { error: log('error') },
  pollIntervalMs: 25,
});
const state = new SqliteProcessStateStore(data.processFile);
const tracker = new ProcessTracker({
  events,
  state,
  calendar: new WorkingDayCalendar(data.calendar),
  // Only the time a command is queued at (folding queues none): the app's injected clock stays with the manager.
  clock: systemClock,
  approvalGraceMs: data.approvalGraceMs,
  restartDelayMs: data.restartDelayMs,
  coalesceMs: data.coalesceMs,
  logger: { log: log('log'), warn: log('warn'), error: log('error') },
  onCommands: () => post({ commands: true }),
});

port.on('message', (message: MainToTracker) => {
  if ('expedite' in message) {
    tracker.expedite();
    return;
  }
  void (async () => {
    await tracker.stop();
    state.closeNow();
    await events.close();
    port.close();
  })();
});
tracker.start();
