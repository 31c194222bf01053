/**
 * The EventStore port on EventStoreDB (@eventstore/db-client 6).
 *
 * Mapping:
 * - version = stream revision; globalPosition = the commit position of $all (events of one append share
 *   it, so a resumed subscription may see that append's events again: at-least-once, as the port says).
 * - expectedVersion: checked here against the stream head read just before, and the append is sent with
 *   that EXACT revision (NO_STREAM for -1) whatever form the caller used. The exact revision is what keeps
 *   the hash chain whole: with ANY or STREAM_EXISTS a concurrent writer could slip in between reading the
 *   head's hash and writing, and the chain would fork. On a race, 'any'/'stream-exists' read again and
 *   retry; a number or 'no-stream' is a conflict.
 * - idempotency: EventStoreDB only deduplicates an exact-revision retry and forgets it on restart, so a
 *   repeated append is recognised here by reading back the events where it would have landed and
 *   comparing ids (for 'any'/'stream-exists': when they are still the tail of the stream).
 * - chain fields and schemaVersion travel in the event metadata; system events ($...) never surface.
 * - readAll filters client-side (client 6's readAll takes no filter); subscriptions use the server-side
 *   $all filters (stream-name prefixes, else event-type prefixes, else exclude system events) and the
 *   exact check again client-side (server prefixes are prefixes, event types must match exactly).
 */
import type * as Esdb from '@eventstore/db-client';
import {
  type AppendOptions,
  type AppendResult,
  type EventFilter,
  type EventHandler,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  InvalidAppend,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionState,
  WrongExpectedVersion,
} from '../event-store.port';
import { expectedVersionMatches, firstVersionFits, normalizeExpectedVersion, validateAppend } from '../expected-version';
import { matchesFilter } from '../read-options';
import { canonicalJson, GENESIS_HASH, hashFromCanonicalParts } from '../hash-chain';
import type { StoreLogger } from '../polling-subscription';
import { UpcasterRegistry } from '../upcasters';
import { domainUpcasters } from '../domain-upcasters';

type EsdbModule = typeof Esdb;

export interface EventStoreDbOptions {
  /** e.g. esdb://localhost:2113?tls=false (the apps read EVENTSTORE_CONNECTION_STRING). */
  connectionString?: string;
  /** An existing client (not disposed by close()). */
  client?: Esdb.EventStoreDBClient;
  upcasters?: UpcasterRegistry;
  logger?: StoreLogger;
  /** Retries of an 'any'/'stream-exists' append that lost a race with another writer. */
  maxRaceRetries?: number;
}

interface Head {
  version: number;
  hash: string;
}

interface StoredMetadata extends Record<string, unknown> {
  prevHash?: string;
  hash?: string;
  schemaVersion?: number;
}

let loaded: EsdbModule | undefined;
/** Loaded on first use so that importing @cbec/event-store does not pull gRPC into every process. */
function esdb(): EsdbModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@eventstore/db-client') as EsdbModule;
  return loaded;
}

export class EventStoreDbEventStore implements EventStore {
  private readonly client: Esdb.EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly upcasters: UpcasterRegistry;
  private readonly logger: StoreLogger;
  private readonly maxRaceRetries: number;
  private readonly subscriptions = new Set<EsdbSubscription>();

  constructor(options: EventStoreDbOptions) {
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else if (options.connectionString) {
      this.client = esdb().EventStoreDBClient.connectionString(options.connectionString);
      this.ownsClient = true;
    } else {
      throw new TypeError('EventStoreDbEventStore: give a connectionString (esdb://host:2113?tls=false) or a client');
    }
    this.upcasters = options.upcasters ?? domainUpcasters();
    this.logger = options.logger ?? console;
    this.maxRaceRetries = options.maxRaceRetries ?? 10;
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamId, events);
    const expected = normalizeExpectedVersion(options?.expectedVersion);
    const prepared = events.map((event, index) => {
      try {
        return { event, data: canonicalJson(event.data), metadata: canonicalJson(event.metadata) };
      } catch (error) {
        throw new InvalidAppend(`stream ${streamId}, event #${index} (${event.type}): ${(error as Error).message}`);
      }
    });
    const { jsonEvent, NO_STREAM, WrongExpectedVersionError } = esdb();

    for (let attempt = 0; ; attempt++) {
      const head = await this.readHead(streamId);
      if (!expectedVersionMatches(expected, head.version)) {
        const original = await this.findOriginal(streamId, expected, events);
        if (original) return original;
        throw new WrongExpectedVersion(streamId, expected, head.version);
      }
      if ((expected === 'any' || expected === 'stream-exists') && head.version >= 0) {
        const original = await this.findOriginal(streamId, expected, events);
        if (original) return original;
      }
      let prevHash = head.hash;
      const eventData = prepared.map(({ event, data, metadata }, i) => {
        const version = head.version + 1 + i;
        const schemaVersion = event.schemaVersion ?? 1;
        const hash = hashFromCanonicalParts({ streamId, version, eventId: event.eventId, type: event.type, schemaVersion, prevHash }, data, metadata);
        const stored = jsonEvent({
          id: event.eventId,
          type: event.type,
          data: event.data as Esdb.JSONType,
          metadata: { ...event.metadata, schemaVersion, prevHash, hash },
        });
        prevHash = hash;
        return stored;
      });
      try {
        const result = await this.client.appendToStream(streamId, eventData, {
          expectedRevision: head.version === -1 ? NO_STREAM : BigInt(head.version),
        });
        return {
          nextExpectedVersion: Number(result.nextExpectedRevision),
          lastGlobalPosition: result.position ? Number(result.position.commit) : await this.headPosition(),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        const original = await this.findOriginal(streamId, expected, events);
        if (original) return original;
        const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
        if ((expected === 'any' || (expected === 'stream-exists' && actual >= 0)) && attempt < this.maxRaceRetries) continue;
        throw new WrongExpectedVersion(streamId, expected, actual);
      }
    }
  }

  private async readHead(streamId: string): Promise<Head> {
    const { BACKWARDS, END } = esdb();
    for await (const event of this.rawStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
      return { version: Number(event.revision), hash: String((event.metadata as StoredMetadata | undefined)?.hash ?? GENESIS_HASH) };
    }
    return { version: -1, hash: GENESIS_HASH };
  }

  /** The result of an earlier identical append, if all its events are where it would have put them. */
  private async findOriginal(streamId: string, expected: ExpectedVersion, events: NewEvent[]): Promise<AppendResult | undefined> {
    const { BACKWARDS, END, FORWARDS } = esdb();
    let found: Esdb.RecordedEvent[] = [];
    if (typeof expected === 'number' || expected === 'no-stream') {
      const from = expected === 'no-stream' ? 0 : expected + 1;
      for await (const event of this.rawStream(streamId, { direction: FORWARDS, fromRevision: BigInt(from), maxCount: events.length })) found.push(event);
    } else {
      for await (const event of this.rawStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: events.length })) found.push(event);
      found = found.reverse();
    }
    if (found.length !== events.length) return undefined;
    if (!found.every((event, i) => event.id === events[i].eventId)) return undefined;
    if (!firstVersionFits(expected, Number(found[0].revision))) return undefined;
    const last = found[found.length - 1];
    return { nextExpectedVersion: Number(last.revision), lastGlobalPosition: Number(last.position?.commit ?? 0n) };
  }

  /** Events of a stream as stored by the client (no system events), empty when the stream does not exist. */
  private async *rawStream(streamId: string, options: Esdb.ReadStreamOptions): AsyncGenerator<Esdb.RecordedEvent> {
    const { StreamNotFoundError } = esdb();
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) yield resolved.event;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const { FORWARDS } = esdb();
    const fromVersion = options.fromVersion ?? 0;
    const toVersion = options.toVersion;
    const asOf = options.asOf;
    const untilTime = typeof asOf === 'string' ? parseInstant(asOf) : undefined;
    const untilPosition = asOf && typeof asOf === 'object' ? asOf.globalPosition : undefined;
    const upcast = options.upcast !== false;
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const maxCount = toVersion === undefined ? undefined : Math.max(0, toVersion - fromVersion + 1);
        if (maxCount === 0) return;
        for await (const raw of self.rawStream(streamId, { direction: FORWARDS, fromRevision: BigInt(fromVersion), maxCount })) {
          const event = toRecorded(raw);
          if (!event) continue;
          if (untilPosition !== undefined && event.globalPosition > untilPosition) return;
          if (untilTime !== undefined && Date.parse(event.recordedAt) > untilTime) return;
          yield upcast ? self.upcasters.upcast(event) : event;
        }
      },
    };
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const { START } = esdb();
    const from = options.fromPosition ?? 0;
    const upcast = options.upcast !== false;
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const fromPosition = from > 0 ? { commit: BigInt(from), prepare: BigInt(from) } : START;
        for await (const resolved of self.client.readAll({ fromPosition })) {
          const event = resolved.event ? toRecorded(resolved.event) : undefined;
          if (!event || event.globalPosition <= from) continue;
          if (options.toPosition !== undefined && event.globalPosition > options.toPosition) return;
          if (!matches(options.filter, event)) continue;
          yield upcast ? self.upcasters.upcast(event) : event;
        }
      },
    };
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    const { START, streamNameFilter, eventTypeFilter, excludeSystemEvents } = esdb();
    const cp = options.fromCheckpoint ?? 0;
    const filter = options.filter?.streamPrefixes?.length
      ? streamNameFilter({ prefixes: options.filter.streamPrefixes })
      : options.filter?.eventTypes?.length
        ? eventTypeFilter({ prefixes: options.filter.eventTypes })
        : excludeSystemEvents();
    const source = this.client.subscribeToAll({ fromPosition: cp > 0 ? { commit: BigInt(cp), prepare: BigInt(cp) } : START, filter });
    const subscription = new EsdbSubscription(source, cp, options, handler, (event) => this.upcasters.upcast(event), this.logger);
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async headPosition(): Promise<number> {
    const { BACKWARDS, END } = esdb();
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      return resolved.event?.position ? Number(resolved.event.position.commit) : 0;
    }
    return 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.ownsClient) await this.client.dispose();
  }
}

class EsdbSubscription implements Subscription {
  private currentState: SubscriptionState = 'catching-up';
  private failure: unknown;
  private lastHandled: number;
  private stopping = false;
  readonly done: Promise<void>;

  constructor(
    private readonly source: Esdb.AllStreamSubscription,
    fromCheckpoint: number,
    private readonly options: SubscribeOptions,
    private readonly handler: EventHandler,
    private readonly upcast: (event: RecordedEvent) => RecordedEvent,
    private readonly logger: StoreLogger,
  ) {
    this.lastHandled = fromCheckpoint;
    source.on('caughtUp', () => {
      if (this.currentState === 'catching-up') this.currentState = 'live';
    });
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

  async stop(): Promise<void> {
    this.stopping = true;
    await this.source.unsubscribe().catch(() => undefined);
    await this.done;
  }

  private async run(): Promise<void> {
    try {
      for await (const resolved of this.source) {
        if (this.stopping) break;
        const event = resolved.event ? toRecorded(resolved.event) : undefined;
        if (!event || !matches(this.options.filter, event)) continue;
        await this.handler(this.upcast(event));
        this.lastHandled = event.globalPosition;
      }
      this.currentState = 'stopped';
    } catch (error) {
      if (this.stopping) {
        this.currentState = 'stopped';
        return;
      }
      this.failure = error;
      this.currentState = 'failed';
      this.logger.error(
        `event-store subscription "${this.options.name ?? 'subscription'}" failed after position ${this.lastHandled}; it stopped and will not skip the event`,
        error,
      );
      await this.source.unsubscribe().catch(() => undefined);
    }
  }
}

/** The client's event as the port's RecordedEvent; undefined for system and non-JSON events. */
function toRecorded(event: Esdb.RecordedEvent | Esdb.AllStreamRecordedEvent): RecordedEvent | undefined {
  if (event.type.startsWith('$') || event.streamId.startsWith('$') || !event.isJson) return undefined;
  const { prevHash, hash, schemaVersion, ...metadata } = (event.metadata ?? {}) as StoredMetadata;
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: event.data,
    metadata: metadata as EventMetadata,
    streamId: event.streamId,
    version: Number(event.revision),
    globalPosition: event.position ? Number(event.position.commit) : 0,
    recordedAt: event.created.toISOString(),
    prevHash: prevHash ?? '',
    hash: hash ?? '',
  };
}

function matches(filter: EventFilter | undefined, event: RecordedEvent): boolean {
  return matchesFilter(event, filter);
}

function parseInstant(text: string): number {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new TypeError(`asOf: ${JSON.stringify(text)} is not an ISO-8601 instant`);
  return time;
}

export function openEventStoreDbEventStore(options: EventStoreDbOptions): EventStoreDbEventStore {
  return new EventStoreDbEventStore(options);
}
