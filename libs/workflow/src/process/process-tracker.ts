import type { EventStore, RecordedEvent, Subscription } from '@cbec/event-store';
import type { WorkingDayCalendar } from '../calendar';
import type { Clock } from '@cbec/platform';
import { evolveProcess, PROCESS_EVENT_TYPES } from './process.state';
import type { ProcessStateStore } from './process-state.store';
import { react, type ReactOptions } from './react';

export interface ProcessTrackerOptions extends ReactOptions {
  events: EventStore;
  state: ProcessStateStore;
  calendar: WorkingDayCalendar;
  clock: Clock;
  /** Delay before a failed subscription is restarted from the checkpoint (ms). */
  restartDelayMs?: number;
  logger: Pick<Console, 'log' | 'warn' | 'error'>;
  /** A batch put commands in the outbox: the manager dispatches them. */
  onCommands(): void;
  /** Least time between two commits while events keep coming (ms; default COALESCE_MS). */
  coalesceMs?: number;
}

/** What the manager starts and stops, wherever the tracker runs (this thread or its own). */
export interface Tracking {
  start(): void;
  stop(): Promise<void>;
  /** Someone waits for the process state: a commit deferred for coalescing runs now. */
  expedite(): void;
}

/**
 * The approval process's half that follows the log: a checkpointed subscription (never in-memory
 * publishing) folds each event into the process state in `process.db`, in batches, one transaction each
 * with the checkpoint. Folding an event decides no command (`react` acts on ticks); the manager's timer
 * does. After a crash it resumes from the checkpoint.
 */
export class ProcessTracker implements Tracking {
  private subscription: Subscription | null = null;
  private running = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private batch: Batch | null = null;
  private lastFlushAt = 0;
  /** Batches commit one after another, in log order: a later one committed first would move the checkpoint past an earlier one. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ProcessTrackerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.subscribe();
  }

  expedite(): void {
    this.subscription?.wake?.();
    const batch = this.batch;
    if (!batch?.timer) return;
    clearTimeout(batch.timer);
    batch.timer = undefined;
    setImmediate(() => void this.flush(batch, false));
  }

  /** Stops the subscription and commits what it already delivered. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const sub = this.subscription;
    this.subscription = null;
    await sub?.stop();
    if (this.batch?.timer) clearTimeout(this.batch.timer);
    if (this.batch) void this.flush(this.batch, false);
    this.batch = null;
    await this.flushing;
  }

  private subscribe(): void {
    void this.options.state.checkpoint().then(
      (checkpoint) => {
        if (this.running && !this.subscription) this.subscribeFrom(checkpoint);
      },
      (error: unknown) => this.failed(null, error),
    );
  }

  private subscribeFrom(checkpoint: number): void {
    const { events } = this.options;
    // Events are applied in batches (one commit per batch, not per event). The checkpoint is the one in
    // process state, so whatever is buffered when a crash hits is simply read again after the restart.
    const batch: Batch = { events: [], scheduled: false, broken: false, sub: null };
    const sub = events.subscribe(
      { fromCheckpoint: checkpoint, filter: { eventTypes: [...PROCESS_EVENT_TYPES] }, name: 'approval-process' },
      async (event: RecordedEvent) => {
        if (batch.broken) throw new Error('a batch of the approval process failed; resubscribing from its checkpoint');
        batch.events.push(event);
        if (batch.events.length >= BATCH_SIZE) await this.flush(batch, true);
        else if (!batch.scheduled) {
          batch.scheduled = true;
          // Under load, one process.db commit per COALESCE_MS rather than one per append; idle, at once.
          const wait = this.lastFlushAt + (this.options.coalesceMs ?? COALESCE_MS) - Date.now();
          if (wait <= 0) setImmediate(() => void this.flush(batch, false));
          else {
            batch.timer = setTimeout(() => void this.flush(batch, false), wait);
            batch.timer.unref();
          }
        }
      },
    );
    batch.sub = sub;
    this.subscription = sub;
    this.batch = batch;
    void sub.done.then(() => {
      if (!this.running || this.subscription !== sub) return;
      // A failed batch stops the subscription visibly; resume from the checkpoint, which is exact.
      this.failed(sub, sub.error, `subscription ${sub.state}`);
    });
  }

  private failed(sub: Subscription | null, error: unknown, what = 'reading the checkpoint'): void {
    if (!this.running) return;
    if (sub && this.subscription !== sub) return;
    this.subscription = null;
    this.options.logger.error(`approval process: ${what}: ${describe(error)}; restarting from the checkpoint`);
    this.restartTimer = setTimeout(() => {
      if (this.running) this.subscribe();
    }, this.options.restartDelayMs ?? 1000);
    this.restartTimer.unref();
  }

  /** Takes the batch's events now and commits them after the batches taken before (see `flushing`). */
  private flush(batch: Batch, inHandler: boolean): Promise<void> {
    batch.scheduled = false;
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = undefined;
    const events = batch.events;
    batch.events = [];
    if (events.length === 0 || batch.broken) return this.flushing;
    this.lastFlushAt = Date.now();
    const run = this.flushing.then(() => this.commit(batch, events, inHandler));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async commit(batch: Batch, events: RecordedEvent[], inHandler: boolean): Promise<void> {
    if (batch.broken) {
      if (inHandler) throw new Error('a batch of the approval process failed; resubscribing from its checkpoint');
      return;
    }
    const { state, calendar, clock } = this.options;
    try {
      const { commands } = await state.applyAll(
        events,
        (before, event) => {
          const after = evolveProcess(before, event, calendar);
          return { state: after, commands: react(event, after, this.options) };
        },
        clock.now().toISOString(),
      );
      if (commands > 0) this.options.onCommands();
    } catch (error) {
      // The subscription believes these events handled: it must not go on, a new one starts from the checkpoint.
      batch.broken = true;
      if (inHandler) throw error;
      this.options.logger.error(`approval process: applying ${events.length} events failed: ${describe(error)}`);
      void batch.sub?.stop();
    }
  }
}

interface Batch {
  events: RecordedEvent[];
  scheduled: boolean;
  /** A flush deferred to coalesce commits under load. */
  timer?: NodeJS.Timeout;
  broken: boolean;
  sub: Subscription | null;
}

/** Events per process.db transaction at most (a subscription page is 1000). */
const BATCH_SIZE = 256;
/**
 * Least time between two batch commits while events keep coming (ms). As the read side's runner
 * (ProjectionRunner's coalesceMs): fewer, larger commits under load; no request waits on them (`react`
 * acts on ticks).
 */
const COALESCE_MS = 50;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
