import type { EventStore, RecordedEvent, Subscription } from '@cbec/event-store';
import { chinaDate, WorkingDayCalendar } from '../calendar';
import type { Clock } from '../tokens';
import type { ProcessDispatcher } from './process-dispatcher';
import { evolveProcess, PROCESS_EVENT_TYPES } from './process.state';
import { ProcessStateStore } from './process-state.store';
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
  logger?: Pick<Console, 'log' | 'warn' | 'error'>;
}

export interface TickReport {
  now: string;
  decided: number;
  enqueued: number;
  dispatched: Array<{ commandId: string; kind: ProcessCommand['kind']; outcome: string; detail?: string }>;
}

/**
 * Runs the approval process: a checkpointed subscription on the event store (never in-memory publishing)
 * folds each event into the process state in SQLite, and a timer on the injected clock feeds `react`
 * with ticks; the commands it decides go through a durable outbox to the dispatcher. After a crash it
 * resumes from its checkpoint and re-dispatches what the outbox still holds; the deterministic command
 * ids make every repeat (and every race with another instance) a no-op.
 */
export class ProcessManager {
  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking: Promise<TickReport> | null = null;
  private draining: Promise<TickReport['dispatched']> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private batch: Batch | null = null;
  private lastFlushAt = 0;
  private readonly logger: Pick<Console, 'log' | 'warn' | 'error'>;

  constructor(private readonly options: ProcessManagerOptions) {
    this.logger = options.logger ?? console;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.subscribe();
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
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.timer = null;
    const sub = this.subscription;
    this.subscription = null;
    await sub?.stop();
    if (this.batch?.timer) clearTimeout(this.batch.timer);
    if (this.batch) this.flush(this.batch, false);
    this.batch = null;
    await this.ticking?.catch(() => undefined);
    await this.draining?.catch(() => undefined);
  }

  /** Position of the last event the process state includes (shared by every instance on the same process.db). */
  checkpoint(): number {
    return this.options.state.checkpoint();
  }

  /** Resolves once the process state includes the event at `position` (or rejects after `timeoutMs`). */
  async caughtUp(position: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.checkpoint() < position) {
      if (Date.now() > deadline) throw new Error(`approval process: not caught up to ${position} (at ${this.checkpoint()})`);
      await new Promise((r) => setTimeout(r, 10));
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
    const candidates = this.options.state.dueCandidates(chinaDate(now), new Date(now.getTime() - this.options.approvalGraceMs).toISOString());
    const commands = react({ type: 'Tick', now: nowIso }, candidates, this.options);
    const enqueued = this.options.state.enqueue(commands, nowIso);
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
    for (const entry of state.pending()) {
      const { command } = entry;
      if (!state.claim(entry.commandId, this.options.claimLeaseMs ?? 30_000)) continue;
      try {
        const { outcome, detail } = await dispatcher.dispatch(command);
        if (outcome === 'not-yet') state.forget(entry.commandId);
        else state.settle(entry.commandId, outcome, detail ?? null, clock.now().toISOString());
        report.push({ commandId: entry.commandId, kind: command.kind, outcome, detail });
      } catch (error) {
        const status = state.retryLater(entry.commandId, describe(error), clock.now().toISOString(), this.options.maxAttempts ?? 20);
        this.logger.warn(`approval process: ${command.kind} ${entry.commandId} failed (${status}): ${describe(error)}`);
        report.push({ commandId: entry.commandId, kind: command.kind, outcome: status, detail: describe(error) });
      }
    }
    return report;
  }

  private subscribe(): void {
    const { events, state } = this.options;
    // Events are applied in batches (one commit per batch, not per event). The checkpoint is the one in
    // process.db, so whatever is buffered when a crash hits is simply read again after the restart.
    const batch: Batch = { events: [], scheduled: false, broken: false, sub: null };
    const sub = events.subscribe(
      { fromCheckpoint: state.checkpoint(), filter: { eventTypes: [...PROCESS_EVENT_TYPES] }, name: 'approval-process' },
      (event: RecordedEvent) => {
        if (batch.broken) throw new Error('a batch of the approval process failed; resubscribing from its checkpoint');
        batch.events.push(event);
        if (batch.events.length >= BATCH_SIZE) this.flush(batch, true);
        else if (!batch.scheduled) {
          batch.scheduled = true;
          // Under load, one process.db commit per COALESCE_MS rather than one per append; idle, at once.
          const wait = this.lastFlushAt + COALESCE_MS - Date.now();
          if (wait <= 0) setImmediate(() => this.flush(batch, false));
          else {
            batch.timer = setTimeout(() => this.flush(batch, false), wait);
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
      this.logger.error(`approval process: subscription ${sub.state}: ${describe(sub.error)}; restarting from ${state.checkpoint()}`);
      this.restartTimer = setTimeout(() => {
        if (this.running) this.subscribe();
      }, this.options.restartDelayMs ?? 1000);
      this.restartTimer.unref();
    });
  }

  private flush(batch: Batch, inHandler: boolean): void {
    batch.scheduled = false;
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = undefined;
    const events = batch.events;
    batch.events = [];
    if (events.length === 0 || batch.broken) return;
    this.lastFlushAt = Date.now();
    const { state, calendar, clock } = this.options;
    try {
      const { commands } = state.applyAll(
        events,
        (before, event) => {
          const after = evolveProcess(before, event, calendar);
          return { state: after, commands: react(event, after, this.options) };
        },
        clock.now().toISOString(),
      );
      if (commands > 0) void this.drain();
    } catch (error) {
      // The subscription believes these events handled: it must not go on, a new one starts from the checkpoint.
      batch.broken = true;
      if (inHandler) throw error;
      this.logger.error(`approval process: applying ${events.length} events failed: ${describe(error)}`);
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
/** Least time between two batch commits while events keep coming (ms). */
const COALESCE_MS = 10;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
