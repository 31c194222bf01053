import { InvalidAppend, type NewEvent } from './event-store.port';
import { canonicalJson } from './hash-chain';

/** An event as a writer stores it: data and metadata already canonical JSON (hashed as they are). */
export interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

/** The stored form of one appended event: its canonical JSON, or InvalidAppend naming the event. */
export function prepareEvent(streamId: string, event: NewEvent, index: number, withMetadata = true): PreparedEvent {
  try {
    return {
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: canonicalJson(event.data),
      metadata: withMetadata ? canonicalJson(event.metadata) : '',
    };
  } catch (error) {
    throw new InvalidAppend(`stream ${streamId}, event #${index} (${event.type}): ${(error as Error).message}`);
  }
}
