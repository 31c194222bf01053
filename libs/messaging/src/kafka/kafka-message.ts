import type { AnyIntegrationEvent } from '../contract/integration-events';

/** The Kafka record of one contract event: key = stream id (one stream, one partition, in order). */
export interface IntegrationKafkaMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Headers repeat the identifiers so a consumer can route or deduplicate without parsing the value. */
export function toKafkaMessage(event: AnyIntegrationEvent): IntegrationKafkaMessage {
  return {
    key: event.streamId,
    value: JSON.stringify(event),
    headers: {
      'event-id': event.eventId,
      'event-type': event.type,
      'schema-version': String(event.schemaVersion),
      'stream-id': event.streamId,
      'stream-version': String(event.streamVersion),
      'global-position': String(event.globalPosition),
      'correlation-id': event.correlationId,
      'occurred-at': event.occurredAt,
      'content-type': 'application/json',
    },
  };
}

/** Parses a record value back into the envelope; a value that is not one names what is wrong. */
export function parseKafkaValue(value: Buffer | string | null): AnyIntegrationEvent {
  if (value === null) throw new Error('Kafka record has no value (tombstones are not part of the contract)');
  const parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as AnyIntegrationEvent;
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.eventId !== 'string' || typeof parsed.type !== 'string') {
    throw new Error('Kafka record value is not an integration event (eventId and type are required)');
  }
  return parsed;
}
