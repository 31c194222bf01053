import type { EventHandler, RecordedEvent, Subscription, SubscriptionState } from './event-store.port';

export interface StoreLogger {
  error(message: string, ...rest: unknown[]): void;
  warn?(message: string, ...rest: unknown[]): void;
}

export interface PollingPage {
  events: RecordedEvent[];
  scannedTo: number;
}

export interface PollingSource {
  /**
   * Events strictly after `after`, in global order, at most `limit`; `scannedTo` is the position up to
   * which the log has been looked at (beyond the last event when a filter skipped the rest), so that
   * an idle filtered subscription does not rescan what it already passed.
   */
  readPage(after: number, limit: number): PollingPage | Promise<PollingPage>;
  pageSize: number;
  /** Idle wait between looks at the log when no in-process wake-up comes (appends by other processes). */
  pollIntervalMs: number;
  logger: StoreLogger;
  name: string;
}

/**
 * Catch-up then live, in global order, at-least-once: the log itself is the only source (reads pages
 * after the last handled position), so live delivery cannot miss what catch-up has not seen. In-process
 * appends wake it at once; a short poll covers appends made by other processes on the same file.
 */
export class PollingSubscription implements Subscription {
  private currentState: SubscriptionState = 'catching-up';
  private failure: unknown;
  private lastHandled: number;
  private cursor: number;
  private stopping = false;
  private wakeCount = 0;
  private waiter: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly source: PollingSource,
    fromCheckpoint: number,
    private readonly handler: EventHandler,
  ) {
    this.lastHandled = fromCheckpoint;
    this.cursor = fromCheckpoint;
    this.done = this.run();
  }

  get state(): SubscriptionState {
    return this.currentState;
  }

  get error(): unknown {
    return this.failure;
  }

  get position(): number {
    return this.lastHandled;
  }

  /** New events may be in the log. */
  wake(): void {
    this.wakeCount++;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    // Let the caller keep the Subscription object before the first handler call.
    await Promise.resolve();
    try {
      while (!this.stopping) {
        const seenWakes = this.wakeCount;
        const page = await this.source.readPage(this.cursor, this.source.pageSize);
        for (const event of page.events) {
          if (this.stopping) break;
          await this.handler(event);
          this.lastHandled = event.globalPosition;
          this.cursor = event.globalPosition;
        }
        if (this.stopping) break;
        this.cursor = Math.max(this.cursor, page.scannedTo);
        if (page.events.length < this.source.pageSize) {
          if (this.currentState === 'catching-up') this.currentState = 'live';
          if (this.wakeCount === seenWakes) await this.idle();
        }
      }
      this.currentState = 'stopped';
    } catch (error) {
      this.failure = error;
      this.currentState = 'failed';
      this.source.logger.error(
        `event-store subscription "${this.source.name}" failed after position ${this.lastHandled}; it stopped and will not skip the event`,
        error,
      );
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, this.source.pollIntervalMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
