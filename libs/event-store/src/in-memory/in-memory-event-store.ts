import {
  type AppendOptions,
  type AppendResult,
  type EventHandler,
  type EventStore,
  EventIdConflict,
  InvalidAppend,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersion,
} from '../event-store.port';
import { expectedVersionMatches, normalizeExpectedVersion, originalAppendResult, validateAppend } from '../expected-version';
import { canonicalJson, GENESIS_HASH, hashFromCanonicalParts } from '../hash-chain';
import { PollingSubscription, type StoreLogger } from '../polling-subscription';
import { checkInteger, isoInstant, matchesFilter } from '../read-options';
import { UpcasterRegistry } from '../upcasters';
import { domainUpcasters } from '../domain-upcasters';

/** One stored event: data and metadata kept as canonical JSON, as the SQLite adapter stores them. */
type StoredEvent = Omit<RecordedEvent, 'data' | 'metadata'> & { data: string; metadata: string };

/**
 * The log itself. Several stores may share one (as several processes share a SQLite file); an append
 * through any of them wakes the subscriptions of all.
 */
export class InMemoryEventLog {
  /** events[i] has global position i + 1. */
  readonly events: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  readonly byId = new Map<string, StoredEvent>();
  readonly listeners = new Set<() => void>();
  lastRecordedAt = '';
}

export interface InMemoryEventStoreOptions {
  log?: InMemoryEventLog;
  upcasters?: UpcasterRegistry;
  logger?: StoreLogger;
  /** Source of `recordedAt` (default: the machine clock); never goes backwards within one log. */
  clock?: () => Date;
}

/**
 * The third adapter: the port's full semantics (validation, expected versions, idempotency by event id,
 * the same hash chain as SQLite and EventStoreDB, `asOf` reads, upcasting, catch-up-then-live
 * subscriptions that fail visibly) without durability. For specs and tools that need a store but no file;
 * it passes the contract suite (`in-memory-event-store.spec.ts`).
 */
export class InMemoryEventStore implements EventStore {
  /** Test hook: called before each append; throw from it to simulate a crash at that point. */
  beforeAppend?: (streamId: string, events: NewEvent[]) => void;
  readonly log: InMemoryEventLog;
  private readonly upcasters: UpcasterRegistry;
  private readonly logger: StoreLogger;
  private readonly clock: () => Date;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly wakeAll = (): void => {
    for (const subscription of this.subscriptions) subscription.wake();
  };
  private closed = false;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.log = options.log ?? new InMemoryEventLog();
    this.upcasters = options.upcasters ?? domainUpcasters();
    this.logger = options.logger ?? console;
    this.clock = options.clock ?? (() => new Date());
    this.log.listeners.add(this.wakeAll);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.beforeAppend?.(streamId, events);
    if (this.closed) throw new Error('InMemoryEventStore is closed');
    validateAppend(streamId, events);
    const expected = normalizeExpectedVersion(options?.expectedVersion);
    const prepared = events.map((event, index) => {
      try {
        return { event, data: canonicalJson(event.data), metadata: canonicalJson(event.metadata) };
      } catch (error) {
        throw new InvalidAppend(`stream ${streamId}, event #${index} (${event.type}): ${(error as Error).message}`);
      }
    });
    const log = this.log;
    const stream = log.streams.get(streamId) ?? [];
    const current = stream.length - 1;
    const original = originalAppendResult(
      streamId,
      expected,
      events.map((event) => log.byId.get(event.eventId)),
    );
    if (original) return original;
    if (!expectedVersionMatches(expected, current)) throw new WrongExpectedVersion(streamId, expected, current);
    const stored = events.filter((event) => log.byId.has(event.eventId)).map((event) => event.eventId);
    if (stored.length > 0) throw new EventIdConflict(streamId, expected, current, stored);

    const recordedAt = this.recordedAt();
    let prevHash = stream.length ? stream[stream.length - 1].hash : GENESIS_HASH;
    // Built completely before anything is stored: an append is all or nothing.
    const rows = prepared.map(({ event, data, metadata }, i): StoredEvent => {
      const row: StoredEvent = {
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        data,
        metadata,
        streamId,
        version: current + 1 + i,
        globalPosition: log.events.length + 1 + i,
        recordedAt,
        prevHash,
        hash: '',
      };
      row.hash = hashFromCanonicalParts(row, data, metadata);
      prevHash = row.hash;
      return row;
    });
    for (const row of rows) {
      stream.push(row);
      log.events.push(row);
      log.byId.set(row.eventId, row);
    }
    log.streams.set(streamId, stream);
    for (const listener of log.listeners) listener();
    return { nextExpectedVersion: current + rows.length, lastGlobalPosition: log.events.length };
  }

  private recordedAt(): string {
    const now = this.clock().toISOString();
    if (now > this.log.lastRecordedAt) this.log.lastRecordedAt = now;
    return this.log.lastRecordedAt;
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('readStream: streamId must be a non-empty string');
    const from = options.fromVersion ?? 0;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    checkInteger('fromVersion', from);
    checkInteger('toVersion', to);
    let endBefore = Number.MAX_SAFE_INTEGER;
    const asOf = options.asOf;
    const stream = this.log.streams.get(streamId) ?? [];
    if (typeof asOf === 'string') {
      const instant = isoInstant(asOf);
      // The stream up to (not including) its first event recorded after the instant.
      const after = stream.find((row) => row.recordedAt > instant);
      if (after) endBefore = after.version;
    } else if (asOf !== undefined) {
      if (!asOf || typeof asOf !== 'object' || !Number.isSafeInteger(asOf.globalPosition)) {
        throw new TypeError(`readStream ${streamId}: asOf must be an ISO instant or { globalPosition: integer }, got ${JSON.stringify(asOf)}`);
      }
    }
    const maxPosition = asOf !== undefined && typeof asOf === 'object' ? asOf.globalPosition : Number.MAX_SAFE_INTEGER;
    const upcast = options.upcast !== false;
    const store = this;
    return {
      async *[Symbol.asyncIterator]() {
        for (let version = Math.max(from, 0); version <= to && version < endBefore && version < stream.length; version++) {
          store.assertOpen();
          const row = stream[version];
          if (row.globalPosition > maxPosition) return;
          yield store.toEvent(row, upcast);
        }
      },
    };
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const from = options.fromPosition ?? 0;
    const to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    checkInteger('fromPosition', from);
    checkInteger('toPosition', to);
    const upcast = options.upcast !== false;
    const store = this;
    return {
      async *[Symbol.asyncIterator]() {
        for (let i = Math.max(from, 0); i < store.log.events.length && i < to; i++) {
          store.assertOpen();
          const row = store.log.events[i];
          if (matchesFilter(row, options.filter)) yield store.toEvent(row, upcast);
        }
      },
    };
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    this.assertOpen();
    if (typeof handler !== 'function') throw new TypeError('subscribe: handler must be a function');
    checkInteger('fromCheckpoint', options?.fromCheckpoint ?? 0);
    const log = this.log;
    const subscription = new PollingSubscription(
      {
        readPage: (after, limit) => {
          const events: RecordedEvent[] = [];
          let i = Math.max(after, 0);
          for (; i < log.events.length && events.length < limit; i++) {
            if (matchesFilter(log.events[i], options.filter)) events.push(this.toEvent(log.events[i], true));
          }
          return { events, scannedTo: events.length < limit ? Math.max(after, log.events.length) : events[events.length - 1].globalPosition };
        },
        pageSize: 500,
        // Every append to the log wakes the subscription; the poll is only a safety net.
        pollIntervalMs: 1000,
        logger: this.logger,
        name: options.name ?? 'subscription',
      },
      options.fromCheckpoint ?? 0,
      handler,
    );
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async headPosition(): Promise<number> {
    return this.log.events.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.log.listeners.delete(this.wakeAll);
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('InMemoryEventStore is closed');
  }

  /** A fresh copy per read, as a database read gives: a reader mutating it changes nothing stored. */
  private toEvent(row: StoredEvent, upcast: boolean): RecordedEvent {
    const event: RecordedEvent = { ...row, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) };
    return upcast && !this.upcasters.isEmpty ? this.upcasters.upcast(event) : event;
  }
}
