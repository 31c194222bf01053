/**
 * The EventStore port: everything the system knows lives behind it. Three adapters implement it
 * (`sqlite/` — the embedded default —, `eventstoredb/`, and `in-memory/` for specs and tools) and all
 * pass the one contract suite.
 *
 * Conventions (shared with EventStoreDB so the adapters behave the same):
 * - A stream's version is the 0-based revision of its last event; a stream with no events is at -1.
 * - `globalPosition` is a number, strictly increasing in commit order across all streams.
 */

/** Who did it: the authenticated caller, by user, unit (FIN, COM, CUS, PBC, CTY-*, AUDIT, APPLICANT) and role. */
export interface Actor {
  user: string;
  unit: string;
  role: string;
  uscc?: string;
}

export interface EventMetadata {
  correlationId: string;
  causationId: string | null;
  commandId: string | null;
  actor: Actor;
  /** ISO-8601 instant, from the injected clock: never read from the machine inside the domain. */
  occurredAt: string;
  policyVersion: string | null;
  [extra: string]: unknown;
}

/** An event as the writer hands it to `append`. */
export interface NewEvent<T = unknown> {
  /** UUID; the idempotency key of the append. */
  eventId: string;
  /** Past tense, equal to the TypeScript type name (`ApplicationSubmitted`). */
  type: string;
  /** Defaults to 1. */
  schemaVersion?: number;
  data: T;
  metadata: EventMetadata;
}

/** An event as the store returns it: the envelope of docs/architecture.md plus its place in the log. */
export interface RecordedEvent<T = unknown> {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: T;
  metadata: EventMetadata;
  streamId: string;
  /** 0-based revision within the stream. */
  version: number;
  globalPosition: number;
  /** ISO-8601 instant at which the store committed the event. */
  recordedAt: string;
  /** Hash of the previous event of the same stream (64 zeros for version 0). */
  prevHash: string;
  /** SHA-256 (hex) over the canonical JSON of the event's envelope and prevHash. */
  hash: string;
}

export type ExpectedVersion = number | 'no-stream' | 'stream-exists' | 'any';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  /** The stream's version after the append (the version to expect next time). */
  nextExpectedVersion: number;
  /** Global position of the last event of this append. */
  lastGlobalPosition: number;
}

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** The stream as it stood then: an ISO instant (by recordedAt) or a global position (inclusive). */
  asOf?: string | { globalPosition: number };
  /** Apply the store's upcasters (default true). `false` returns the stored form (what the hash covers). */
  upcast?: boolean;
}

export interface EventFilter {
  eventTypes?: string[];
  streamPrefixes?: string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit (or 0) for the beginning. */
  fromPosition?: number;
  /** Inclusive: events up to and including this position. */
  toPosition?: number;
  filter?: EventFilter;
  /** Apply the store's upcasters (default true). `false` returns the stored form (what the hash covers). */
  upcast?: boolean;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: the global position of the last event the subscriber has handled. */
  fromCheckpoint?: number;
  filter?: EventFilter;
  name?: string;
}

export type SubscriptionState = 'catching-up' | 'live' | 'stopped' | 'failed';

export interface Subscription {
  readonly state: SubscriptionState;
  /** The error that stopped it, when `state === 'failed'`. */
  readonly error?: unknown;
  /** Global position of the last event handled successfully. */
  readonly position: number;
  /** Resolves when the subscription has stopped or failed. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
  /**
   * Look at the log now, not at the next announcement of new commits (someone waits for this
   * subscriber to catch up). Optional: a push-based adapter delivers at once anyway.
   */
  wake?(): void;
}

/** The handler is awaited event by event; a throw stops the subscription visibly (state 'failed'). */
export type EventHandler = (event: RecordedEvent) => Promise<void> | void;

export interface EventStore {
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription;
  /** The current head of the log (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * The chain facts of every event after `fromPosition`, in global order, without the bodies: what an
   * integrity digest needs, at a fraction of readAll's cost (no JSON to parse). Optional: without it,
   * readAll gives the same facts.
   */
  readChainLinks?(options?: { fromPosition?: number }): AsyncIterable<ChainLink>;
  close(): Promise<void>;
}

/** Where an event sits in the log and its stream's hash chain. */
export interface ChainLink {
  globalPosition: number;
  streamId: string;
  version: number;
  hash: string;
}

export class WrongExpectedVersion extends Error {
  readonly code = 'wrong-expected-version';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedVersion';
  }
}

/**
 * A conflict found through event ids rather than versions: some (not all) of the appended events are
 * already stored, or they are stored elsewhere than this append would put them. Still a
 * `WrongExpectedVersion`, so callers that retry on conflicts need no second case.
 */
export class EventIdConflict extends WrongExpectedVersion {
  constructor(
    streamId: string,
    expected: ExpectedVersion,
    actual: number,
    readonly eventIds: string[],
  ) {
    super(streamId, expected, actual);
    this.name = 'EventIdConflict';
    this.message = `stream ${streamId}: event id(s) ${eventIds.join(', ')} already stored elsewhere (a partial or misplaced re-append); expected version ${String(expected)}, actual ${actual}`;
  }
}

/** Bad input to the store (not a conflict): names what is wrong. */
export class InvalidAppend extends Error {
  readonly code = 'invalid-append';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppend';
  }
}
