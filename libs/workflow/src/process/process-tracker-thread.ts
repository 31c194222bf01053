import { SupervisedThread } from '@cbec/event-store';
import type { CalendarData } from '../calendar';
import type { Tracking } from './process-tracker';

export interface ProcessTrackerThreadData {
  eventsFile: string;
  processFile: string;
  calendar: CalendarData;
  approvalGraceMs: number;
  restartDelayMs?: number;
  coalesceMs?: number;
}

export type TrackerToMain = { log: 'log' | 'warn' | 'error'; message: string } | { commands: true };
export type MainToTracker = { stop: true } | { expedite: true };

/**
 * The tracker in its own thread (process-tracker.worker.ts), restarted if it dies (SupervisedThread): it
 * resumes from the checkpoint in process.db. `caughtUp` and the deadlines endpoint read that file, so the
 * main thread needs nothing else from it.
 */
export class ProcessTrackerThread implements Tracking {
  private readonly thread: SupervisedThread<MainToTracker, TrackerToMain>;

  constructor(data: ProcessTrackerThreadData, logger: Pick<Console, 'log' | 'warn' | 'error'>, onCommands: () => void) {
    this.thread = new SupervisedThread<MainToTracker, TrackerToMain>({
      callerFilename: __filename,
      callerDirname: __dirname,
      entry: 'process-tracker.worker',
      workerData: data,
      label: 'approval process',
      logger,
      onMessage: (message) => {
        if ('commands' in message) onCommands();
        else logger[message.log](message.message);
      },
    });
  }

  start(): void {
    this.thread.start();
  }

  expedite(): void {
    this.thread.send({ expedite: true });
  }

  /** The thread commits what it holds, closes its connections and exits. */
  stop(): Promise<void> {
    return this.thread.stop({ stop: true });
  }
}
