import type { EventFilter } from './event-store.port';

/** Checks a position or version option; names it when it is not an integer. */
export function checkInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${name} must be an integer, got ${JSON.stringify(value)}`);
}

/** `asOf` as an ISO instant in UTC (the form `recordedAt` is stored in); names a text that is none. */
export function isoInstant(text: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new TypeError(`asOf: ${JSON.stringify(text)} is not an ISO-8601 instant`);
  return new Date(time).toISOString();
}

/** Does an event pass a readAll/subscribe filter (every given criterion must hold)? */
export function matchesFilter(event: { type: string; streamId: string }, filter: EventFilter | undefined): boolean {
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) return false;
  return true;
}
