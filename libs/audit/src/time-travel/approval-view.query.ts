import { beneficiaryStreamId, caseStreamId, fundStreamId, type AwardApproved, type BeneficiaryState, approvableCnyOf } from '@cbec/domain';
import type { EventStore, RecordedEvent } from '@cbec/event-store';
import { AuditNotFound, requireApplicationId } from '../shared/history-entry';
import { foldStream } from './as-of.query';
import { beneficiaryTotals, customsRecord, foldCustoms, type CustomsInForce, type CustomsRecord } from './stream-kinds';

/** Where one approval sits in the log: its first event (reservation, commitment or decision) and its last. */
export interface ApprovalLocation {
  approvalEventId: string;
  commandId: string | null;
  uscc: string;
  year: number;
  firstPosition: number;
  lastPosition: number;
  /** The position just before the approval's first event: the log as the approving head saw it. */
  causationPosition: number;
  events: { streamId: string; version: number; type: string; eventId: string; globalPosition: number }[];
}

type ApprovedData = AwardApproved['data'];

/** Finds every approval of a case and the events on the beneficiary and fund streams that belong to it. */
export async function locateApprovals(
  store: EventStore,
  applicationId: string,
): Promise<{ caseEvents: RecordedEvent[]; approvals: { event: RecordedEvent; data: ApprovedData; location: ApprovalLocation }[] }> {
  const caseEvents: RecordedEvent[] = [];
  for await (const e of store.readStream(caseStreamId(applicationId))) caseEvents.push(e);
  if (caseEvents.length === 0) throw new AuditNotFound(`case ${applicationId} does not exist (stream ${caseStreamId(applicationId)} has no events)`);
  const approvals = [];
  for (const event of caseEvents.filter((e) => e.type === 'AwardApproved')) {
    const data = event.data as ApprovedData;
    const commandId = event.metadata.commandId ?? null;
    const related: RecordedEvent[] = [event];
    const belongs = (e: RecordedEvent): boolean => {
      const d = e.data as Record<string, unknown>;
      return (
        (commandId !== null && e.metadata.commandId === commandId) ||
        (e.type === 'AwardReserved' && d.reservationId === data.reservationId) ||
        (e.type === 'FundsCommitted' && d.commitmentId === data.commitmentId) ||
        (e.type === 'ReservationConfirmed' && d.reservationId === data.reservationId)
      );
    };
    for (const streamId of [beneficiaryStreamId(data.uscc), fundStreamId(data.year)]) {
      for await (const e of store.readStream(streamId)) if (belongs(e)) related.push(e);
    }
    for (const e of caseEvents) if (e !== event && commandId !== null && e.metadata.commandId === commandId) related.push(e);
    related.sort((a, b) => a.globalPosition - b.globalPosition);
    const firstPosition = related[0].globalPosition;
    approvals.push({
      event,
      data,
      location: {
        approvalEventId: event.eventId,
        commandId,
        uscc: data.uscc,
        year: data.year,
        firstPosition,
        lastPosition: related[related.length - 1].globalPosition,
        causationPosition: firstPosition - 1,
        events: related.map((e) => ({ streamId: e.streamId, version: e.version, type: e.type, eventId: e.eventId, globalPosition: e.globalPosition })),
      },
    });
  }
  return { caseEvents, approvals };
}

/** Customs events by id, and the figures in force at `position` and now. */
export async function customsLookup(
  store: EventStore,
  eventIds: readonly string[],
  position: number,
): Promise<{ used: CustomsRecord[]; missing: string[]; inForceThen: CustomsInForce; inForceNow: CustomsInForce }> {
  const wanted = new Set(eventIds);
  const found = new Map<string, CustomsRecord>();
  const inForceThen: CustomsInForce = {};
  const inForceNow: CustomsInForce = {};
  for await (const e of store.readAll({ filter: { streamPrefixes: ['customs-'] } })) {
    const r = customsRecord(e);
    if (!r) continue;
    if (wanted.has(e.eventId)) found.set(e.eventId, r);
    if (e.globalPosition <= position) foldCustoms(inForceThen, e);
    foldCustoms(inForceNow, e);
  }
  return {
    used: eventIds.filter((id) => found.has(id)).map((id) => found.get(id)!),
    missing: eventIds.filter((id) => !found.has(id)),
    inForceThen,
    inForceNow,
  };
}

export interface ApprovalView {
  applicationId: string;
  approval: ApprovalLocation;
  decision: {
    amountCny: string;
    computedCny: string;
    approvableCny: string;
    capApplied: string | null;
    policyVersion: string;
    approvedBy: string;
    approvedAt: string;
  };
  /** What the approving head saw: the case, the beneficiary's ledger and the fund at the causation position. */
  asSeen: {
    globalPosition: number;
    case: unknown;
    beneficiary: { state: unknown; totals: unknown };
    fund: unknown;
    /** The customs figures in force then, for each (year, uscc) the decision used. */
    customs: CustomsRecord[];
  };
  /** The customs records the decision names (by event id), with their values. */
  customsUsed: CustomsRecord[];
  customsMissing: string[];
  /** The same (year, uscc) figures as in force now: a later revision shows here, never in `asSeen`. */
  customsNow: CustomsRecord[];
  revisedSinceApproval: boolean;
}

/** What the approving head saw when approving, replayed from the log; one entry per approval of the case. */
export async function approvalView(store: EventStore, applicationIdInput: string): Promise<ApprovalView[]> {
  const applicationId = requireApplicationId(applicationIdInput);
  const { approvals } = await locateApprovals(store, applicationId);
  if (approvals.length === 0) throw new AuditNotFound(`case ${applicationId} has no approval`);
  const views: ApprovalView[] = [];
  for (const { event, data, location } of approvals) {
    const pos = location.causationPosition;
    const upTo = async (streamId: string): Promise<RecordedEvent[]> => {
      const out: RecordedEvent[] = [];
      for await (const e of store.readStream(streamId, { asOf: { globalPosition: pos } })) out.push(e);
      return out;
    };
    const customs = await customsLookup(store, data.customsEventIds ?? [], pos);
    const keys = [...new Set(customs.used.map((r) => `${r.figures.year}/${r.figures.uscc}`))];
    const beneficiaryState = foldStream('beneficiary', await upTo(beneficiaryStreamId(data.uscc))) as BeneficiaryState;
    const asSeenCustoms = keys.map((k) => customs.inForceThen[k]).filter(Boolean);
    const now = keys.map((k) => customs.inForceNow[k]).filter(Boolean);
    views.push({
      applicationId,
      approval: location,
      decision: {
        amountCny: data.amountCny,
        computedCny: data.computedCny,
        approvableCny: approvableCnyOf(data),
        capApplied: data.capApplied,
        policyVersion: data.policyVersion,
        approvedBy: data.approvedBy,
        approvedAt: event.metadata.occurredAt,
      },
      asSeen: {
        globalPosition: pos,
        case: foldStream('case', await upTo(caseStreamId(applicationId))),
        beneficiary: { state: beneficiaryState, totals: beneficiaryTotals(beneficiaryState) },
        fund: foldStream('fund', await upTo(fundStreamId(data.year))),
        customs: asSeenCustoms,
      },
      customsUsed: customs.used,
      customsMissing: customs.missing,
      customsNow: now,
      revisedSinceApproval: now.some((r, i) => r.eventId !== asSeenCustoms[i]?.eventId),
    });
  }
  return views;
}
