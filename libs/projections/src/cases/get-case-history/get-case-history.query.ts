import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ApplicationSubmitted } from '@cbec/domain';
import type { Actor, EventStore, RecordedEvent } from '@cbec/event-store';
import { canReadCase, Forbidden, NotFound } from '@cbec/platform';
import { ReadModels } from '../../read-models';

export interface HistoryEntry {
  /** 0-based revision in the case stream. */
  version: number;
  globalPosition: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  /** When it happened (the injected clock of the command) and when the store committed it. */
  occurredAt: string;
  recordedAt: string;
  actor: { user: string; unit: string; role: string; uscc?: string };
  commandId: string | null;
  correlationId: string;
  causationId: string | null;
  policyVersion: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

export interface CaseHistory {
  applicationId: string;
  streamId: string;
  version: number;
  events: HistoryEntry[];
}

export class GetCaseHistory extends Query<CaseHistory> {
  constructor(
    readonly applicationId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}

export function historyEntryOf(e: RecordedEvent): HistoryEntry {
  return {
    version: e.version,
    globalPosition: e.globalPosition,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    occurredAt: e.metadata.occurredAt,
    recordedAt: e.recordedAt,
    actor: { ...e.metadata.actor },
    commandId: e.metadata.commandId,
    correlationId: e.metadata.correlationId,
    causationId: e.metadata.causationId,
    policyVersion: e.metadata.policyVersion,
    data: e.data,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/**
 * Read from the store, not from a projection: the history is the log itself, complete the moment a
 * command returns. Who may read it is decided from the stream's first event (its parties).
 */
export async function readCaseHistory(store: EventStore, applicationId: string, actor: Actor): Promise<CaseHistory> {
  const streamId = `application-${applicationId}`;
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(streamId)) events.push(e);
  const submitted = events[0] as (RecordedEvent & ApplicationSubmitted) | undefined;
  if (!submitted || submitted.type !== 'ApplicationSubmitted') throw new NotFound(`no application "${applicationId}"`);
  const parties = {
    leadUnit: submitted.data.leadUnit,
    cooperatingUnits: submitted.data.cooperatingUnits,
    beneficiaryUscc: submitted.data.beneficiary.uscc,
  };
  if (!canReadCase(actor, parties)) {
    throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" is not a party to application ${applicationId}`);
  }
  return { applicationId, streamId, version: events[events.length - 1].version, events: events.map(historyEntryOf) };
}

@QueryHandler(GetCaseHistory)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistory, CaseHistory> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ applicationId, actor }: GetCaseHistory): Promise<CaseHistory> {
    return readCaseHistory(this.readModels.eventStore, applicationId, actor);
  }
}
