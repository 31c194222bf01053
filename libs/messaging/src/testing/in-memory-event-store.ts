import { createHash } from 'node:crypto';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventHandler,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionState,
} from '@cbec/event-store';
import { WrongExpectedVersion } from '@cbec/event-store';

/**
 * A small in-memory EventStore for messaging tests (single process): the port's semantics — expected
 * versions, idempotent re-append by eventId, global order, catch-up-then-live subscriptions — without
 * durability. The integration tests that kill processes use the SQLite adapter instead.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    const actual = stream.length - 1;
    if (events.length > 0 && events.every((e) => this.byId.get(e.eventId)?.streamId === streamId)) {
      const last = this.byId.get(events[events.length - 1].eventId)!;
      return { nextExpectedVersion: actual, lastGlobalPosition: last.globalPosition };
    }
    const ev = options.expectedVersion;
    const ok =
      ev === 'any' ||
      (ev === 'no-stream' && actual === -1) ||
      (ev === 'stream-exists' && actual >= 0) ||
      (typeof ev === 'number' && ev === actual);
    if (!ok) throw new WrongExpectedVersion(streamId, ev, actual);
    let prevHash = stream.length ? stream[stream.length - 1].hash : '0'.repeat(64);
    for (const e of events) {
      const recorded: RecordedEvent = {
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data: e.data,
        metadata: e.metadata,
        streamId,
        version: stream.length,
        globalPosition: this.log.length + 1,
        recordedAt: this.clock().toISOString(),
        prevHash,
        hash: '',
      };
      recorded.hash = createHash('sha256').update(prevHash + JSON.stringify([e.eventId, e.type, e.data])).digest('hex');
      prevHash = recorded.hash;
      stream.push(recorded);
      this.log.push(recorded);
      this.byId.set(e.eventId, recorded);
    }
    this.streams.set(streamId, stream);
    this.listeners.forEach((l) => l());
    return { nextExpectedVersion: stream.length - 1, lastGlobalPosition: this.log.length };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const from = options.fromVersion ?? 0;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    for (const e of this.streams.get(streamId) ?? []) {
      if (e.version >= from && e.version <= to) yield e;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    for (let i = options.fromPosition ?? 0; i < this.log.length && this.log[i].globalPosition <= to; i++) {
      if (matches(this.log[i], options.filter)) yield this.log[i];
    }
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    let state: SubscriptionState = 'catching-up';
    let error: unknown;
    let position = options.fromCheckpoint ?? 0;
    let stopped = false;
    let wake: (() => void) | undefined;
    const listener = () => wake?.();
    this.listeners.add(listener);
    const done = (async () => {
      try {
        while (!stopped) {
          if (position >= this.log.length) {
            state = 'live';
            await new Promise<void>((resolve) => {
              wake = resolve;
              if (stopped || position < this.log.length) resolve();
            });
            wake = undefined;
            continue;
          }
          const event = this.log[position];
          if (matches(event, options.filter)) await handler(event);
          position = event.globalPosition;
        }
        state = 'stopped';
      } catch (e) {
        state = 'failed';
        error = e;
      } finally {
        this.listeners.delete(listener);
      }
    })();
    return {
      get state() {
        return state;
      },
      get error() {
        return error;
      },
      get position() {
        return position;
      },
      done,
      stop: async () => {
        stopped = true;
        wake?.();
        await done;
      },
    };
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async close(): Promise<void> {
    this.listeners.forEach((l) => l());
  }
}

function matches(event: RecordedEvent, filter?: EventFilter): boolean {
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  return true;
}
