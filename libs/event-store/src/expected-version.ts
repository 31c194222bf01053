import { type AppendResult, type ExpectedVersion, InvalidAppend, type NewEvent } from './event-store.port';

/** -1 is accepted as a synonym of 'no-stream' (the port's "a stream with no events is at -1"). */
export function normalizeExpectedVersion(expected: unknown): ExpectedVersion {
  if (expected === 'no-stream' || expected === 'stream-exists' || expected === 'any') return expected;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= -1) {
    return expected === -1 ? 'no-stream' : expected;
  }
  throw new InvalidAppend(`expectedVersion must be an integer >= 0, 'no-stream', 'stream-exists' or 'any'; got ${JSON.stringify(expected)}`);
}

/** Does a stream at `current` (-1: no stream) satisfy `expected`? */
export function expectedVersionMatches(expected: ExpectedVersion, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return current === -1;
    case 'stream-exists':
      return current >= 0;
    default:
      return current === expected;
  }
}

/**
 * Where the first event of an append that satisfied `expected` could have landed, given it landed at
 * `firstVersion`: used to recognise a repeated append (idempotency by event id).
 */
export function firstVersionFits(expected: ExpectedVersion, firstVersion: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return firstVersion === 0;
    case 'stream-exists':
      return firstVersion >= 1;
    default:
      return firstVersion === expected + 1;
  }
}

/** Where an event id is stored. */
export interface StoredPlace {
  streamId: string;
  version: number;
  globalPosition: number;
}

/**
 * A repeated append (same event ids after a lost answer) gets the original result if ALL its events are
 * stored (`places`, one per appended event, in order) consecutively where an append with this expected
 * version could have put them.
 */
export function originalAppendResult(streamId: string, expected: ExpectedVersion, places: ReadonlyArray<StoredPlace | undefined>): AppendResult | undefined {
  const first = places[0];
  if (!first || first.streamId !== streamId || !firstVersionFits(expected, first.version)) return undefined;
  for (let i = 0; i < places.length; i++) {
    const place = places[i];
    if (!place || place.streamId !== streamId || place.version !== first.version + i) return undefined;
  }
  const last = places[places.length - 1]!;
  return { nextExpectedVersion: last.version, lastGlobalPosition: last.globalPosition };
}

const where = (streamId: string, index: number, event: Partial<NewEvent>) => `stream ${streamId}, event #${index} (${event.type})`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks what the writer hands to `append`; throws InvalidAppend naming the first problem. */
export function validateAppend(streamId: unknown, events: unknown): asserts events is NewEvent[] {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidAppend('streamId must be a non-empty string');
  if (streamId.startsWith('$')) throw new InvalidAppend(`streamId ${streamId}: names starting with $ are reserved for the store`);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppend(`stream ${streamId}: append needs a non-empty array of events`);
  }
  const seen = events.length > 1 ? new Set<string>() : undefined;
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as Partial<NewEvent> | null | undefined;
    if (!event || typeof event !== 'object') throw new InvalidAppend(`stream ${streamId}, event #${index}: not an event object`);
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new InvalidAppend(`stream ${streamId}, event #${index}: eventId must be a UUID, got ${JSON.stringify(event.eventId)}`);
    }
    if (seen) {
      if (seen.has(event.eventId)) throw new InvalidAppend(`stream ${streamId}, event #${index}: eventId ${event.eventId} appears twice in one append`);
      seen.add(event.eventId);
    }
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.charCodeAt(0) === 36 /* $ */) {
      throw new InvalidAppend(`stream ${streamId}, event #${index}: type must be a non-empty string not starting with $, got ${JSON.stringify(event.type)}`);
    }
    if (event.schemaVersion !== undefined && (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1)) {
      throw new InvalidAppend(`${where(streamId, index, event)}: schemaVersion must be an integer >= 1`);
    }
    if (event.data === undefined) throw new InvalidAppend(`${where(streamId, index, event)}: data is missing`);
    const metadata = event.metadata as unknown as Record<string, unknown> | null | undefined;
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new InvalidAppend(`${where(streamId, index, event)}: metadata must be an object`);
    }
    if (metadata.prevHash !== undefined || metadata.hash !== undefined || metadata.schemaVersion !== undefined) {
      throw new InvalidAppend(
        `${where(streamId, index, event)}: metadata.prevHash/hash/schemaVersion are written by the store, not the caller (use event.schemaVersion)`,
      );
    }
  }
}
