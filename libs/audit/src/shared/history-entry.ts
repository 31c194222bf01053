import type { RecordedEvent } from '@cbec/event-store';

/** One event as an auditor reads it: who, which unit and role, when, by which command, in which chain of causes. */
export interface HistoryEntry {
  globalPosition: number;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  occurredAt: string;
  actor: { user: string; unit: string; role: string; uscc?: string };
  commandId: string | null;
  correlationId: string;
  causationId: string | null;
  policyVersion: string | null;
  data: unknown;
  hash: string;
  prevHash: string;
}

export function toHistoryEntry(e: RecordedEvent): HistoryEntry {
  const m = e.metadata;
  return {
    globalPosition: e.globalPosition,
    streamId: e.streamId,
    version: e.version,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    recordedAt: e.recordedAt,
    occurredAt: m.occurredAt,
    actor: { ...m.actor },
    commandId: m.commandId ?? null,
    correlationId: m.correlationId,
    causationId: m.causationId ?? null,
    policyVersion: m.policyVersion ?? null,
    data: e.data,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}

/** A missing stream or case: an answer (404 over HTTP, exit 1 on the CLI), not a crash. */
export class AuditNotFound extends Error {
  readonly code = 'not-found';
  constructor(message: string) {
    super(message);
    this.name = 'AuditNotFound';
  }
}

/** An argument the auditor gave that cannot be read (400 / exit 2); the message names it. */
export class AuditBadInput extends Error {
  readonly code = 'bad-input';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'AuditBadInput';
  }
}

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

export function requireStreamId(value: unknown, field = 'streamId'): string {
  if (typeof value !== 'string' || !STREAM_ID.test(value)) {
    throw new AuditBadInput(field, `must be a stream id such as "application-<id>" or "fund-2019", got ${JSON.stringify(value)}`);
  }
  return value;
}

export function requireApplicationId(value: unknown, field = 'applicationId'): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,150}$/.test(value)) {
    throw new AuditBadInput(field, `must be an application id, got ${JSON.stringify(value)}`);
  }
  return value.startsWith('application-') ? value.slice('application-'.length) : value;
}
