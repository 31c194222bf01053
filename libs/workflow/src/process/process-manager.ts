import type { EventStore } from '@cbec/event-store';
import { chinaDate, WorkingDayCalendar } from '../calendar';
import type { Clock } from '@cbec/platform';
import type { ProcessDispatcher } from './process-dispatcher';
import { ProcessStateStore } from './process-state.store';
import { ProcessTracker, type Tracking } from './process-tracker';
import { ProcessTrackerThread, type ProcessTrackerThreadData } from './process-tracker-thread';
import { ProcessCommand, react, ReactOptions } from './react';

export interface ProcessManagerOptions extends ReactOptions {
  events: EventStore;
  state: ProcessStateStore;
  calendar: WorkingDayCalendar;
  clock: Clock;
  dispatcher: ProcessDispatcher;
  /** How often the timer looks for due dates and dangling reservations (ms); 0 = no timer (tests tick by hand). */
  tickIntervalMs: number;
  /** After this many failed attempts a command is parked as `failed` (visible in the outbox) instead of retried. */
  maxAttempts?: number;
  /** How long an instance holds an outbox command it dispatches before another may take it over (ms). */
  claimLeaseMs?: number;
  /** Delay before a failed subscription is restarted from the checkpoint (ms). */
  restartDelayMs?: number;
  /** How long commands settled done or moot stay in the outbox (ms; default 30 days); pruned hourly. */
  settledRetentionMs?: number;
  /** The tracker's least time between two commits under load (ms; default 50). */
  coalesceMs?: number;
  logger?: Pick<Console, 'log' | 'warn' | 'error'>;
  /**
   * Follow the log in a worker thread on these files (the app does when the log is a SQLite file) instead
   * of on this thread with `events` and `state`. The timer, the outbox and dispatching stay here.
   */
  trackerThread?: Omit<ProcessTrackerThreadData, 'calendar' | 'approvalGraceMs' | 'restartDelayMs' | 'coalesceMs'>;
  /**
   * False: fold nothing (default true). Another process on the same process.db folds the log (the first
   * cluster worker); this one keeps the timer and the outbox, and reads the state that one commits.
   */
  followsLog?: boolean;
}

const DEFAULT_SETTLED_RETENTION_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/** The tracker of a process that does not follow the log: the state is folded by another one. */
const NOT_TRACKING: Tracking = { start: () => undefined, stop: async () => undefined, expedite: () => undefined };

export interface TickReport {
  now: string;
  decided: number;
  enqueued: number;
  dispatched: Array<{ commandId: string; kind: ProcessCommand['kind']; outcome: string; detail?: string }>;
}

/**
 * Runs the approval process: the tracker (a checkpointed subscription on the event store, never in-memory
 * publishing; see ProcessTracker) folds each event into the process state (SQLite or PostgreSQL), and a timer on the
 * injected clock feeds `react` with ticks; the commands it decides go through a durable outbox to the
 * dispatcher. After a crash it
 * resumes from its checkpoint and re-dispatches what the outbox still holds; the deterministic command
 * ids make every repeat (and every race with another instance) a no-op.
 */
export class ProcessManager {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking: Promise<TickReport> | null = null;
  private draining: Promise<TickReport['dispatched']> | null = null;
  private readonly logger: Pick<Console, 'log' | 'warn' | 'error'>;
  private readonly tracker: Tracking;
  /** When (app clock, ms) the outbox was last pruned of settled commands. */
  private prunedAt = -Infinity;

  constructor(private readonly options: ProcessManagerOptions) {
    this.logger = options.logger ?? console;
    const onCommands = (): void => void this.drain();
    const { trackerThread, calendar, approvalGraceMs, restartDelayMs, coalesceMs } = options;
    this.tracker =
      options.followsLog === false
        ? NOT_TRACKING
        : trackerThread
          ? new ProcessTrackerThread({ ...trackerThread, calendar: calendar.data, approvalGraceMs, restartDelayMs, coalesceMs }, this.logger, onCommands)
          : new ProcessTracker({ ...options, logger: this.logger, onCommands });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tracker.start();
    if (this.options.tickIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.tick().catch((error: unknown) => this.logger.error(`approval process: tick failed: ${describe(error)}`));
      }, this.options.tickIntervalMs);
      this.timer.unref();
    }
    // Whatever a crash left in the outbox goes out now.
    void this.tick().catch((error: unknown) => this.logger.error(`approval process: first tick failed: ${describe(error)}`));
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tracker.stop();
    await this.ticking?.catch(() => undefined);
    await this.draining?.catch(() => undefined);
  }

  /** Position of the last event the process state includes (shared by every instance on the same store). */
  checkpoint(): Promise<number> {
    return this.options.state.checkpoint();
  }

  /** Resolves once the process state includes the event at `position` (or rejects after `timeoutMs`). */
  async caughtUp(position: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // The tracker coalesces its commits under load: a waiting reader has it commit now, and again while it
    // waits (events delivered after one request would otherwise wait out the coalescing delay).
    let at = await this.checkpoint();
    while (at < position) {
      if (Date.now() > deadline) throw new Error(`approval process: not caught up to ${position} (at ${at})`);
      this.tracker.expedite();
      await new Promise((r) => setTimeout(r, 10));
      at = await this.checkpoint();
    }
  }

  /** One timer step: decide what the clock makes due, enqueue it, dispatch the outbox. */
  tick(): Promise<TickReport> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runTick().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async runTick(): Promise<TickReport> {
    const now = this.options.clock.now();
    const nowIso = now.toISOString();
    const candidates = await this.options.state.dueCandidates(chinaDate(now), new Date(now.getTime() - this.options.approvalGraceMs).toISOString());
    const commands = react({ type: 'Tick', now: nowIso }, candidates, this.options);
    const enqueued = await this.options.state.enqueue(commands, nowIso);
    if (now.getTime() - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now.getTime();
      await this.options.state.pruneSettled(new Date(now.getTime() - (this.options.settledRetentionMs ?? DEFAULT_SETTLED_RETENTION_MS)).toISOString());
    }
    // A drain already running may have listed the outbox before these commands: let it finish, then drain.
    await this.draining?.catch(() => undefined);
    const dispatched = await this.drain();
    return { now: nowIso, decided: commands.length, enqueued: enqueued.length, dispatched };
  }

  /** Dispatches every pending outbox command once. */
  drain(): Promise<TickReport['dispatched']> {
    if (this.draining) return this.draining;
    this.draining = this.runDrain().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async runDrain(): Promise<TickReport['dispatched']> {
    const report: TickReport['dispatched'] = [];
    const { state, dispatcher, clock } = this.options;
    for (const entry of await state.pending()) {
      const { command } = entry;
      if (!(await state.claim(entry.commandId, this.options.claimLeaseMs ?? 30_000))) continue;
      try {
        const { outcome, detail } = await dispatcher.dispatch(command);
        if (outcome === 'not-yet') await state.forget(entry.commandId);
        else await state.settle(entry.commandId, outcome, detail ?? null, clock.now().toISOString());
        report.push({ commandId: entry.commandId, kind: command.kind, outcome, detail });
      } catch (error) {
        const status = await state.retryLater(entry.commandId, describe(error), clock.now().toISOString(), this.options.maxAttempts ?? 20);
        this.logger.warn(`approval process: ${command.kind} ${entry.commandId} failed (${status}): ${describe(error)}`);
        report.push({ commandId: entry.commandId, kind: command.kind, outcome: status, detail: describe(error) });
      }
    }
    return report;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
