import { caseStreamId, type AwardApproved } from '@cbec/domain';
import type { EventStore, RecordedEvent } from '@cbec/event-store';
import { locateApprovals, type ApprovalLocation } from '../time-travel/approval-view.query';
import { AuditNotFound, requireApplicationId, toHistoryEntry, type HistoryEntry } from '../shared/history-entry';

/** Why an event belongs to the chain. */
export type ChainLink = 'case' | 'correlation' | 'causation' | 'application' | 'customs-used';

export interface CausalChain {
  applicationId: string;
  correlationIds: string[];
  /** Events per stream in the chain. */
  streams: Record<string, number>;
  /** The commands that produced the chain, in order of their first event. */
  commands: { commandId: string; actor: HistoryEntry['actor']; firstPosition: number; events: number }[];
  approvals: ApprovalLocation[];
  events: (HistoryEntry & { link: ChainLink })[];
}

/**
 * The whole causal chain of a case across its application, beneficiary, fund (and customs) streams: every
 * event that shares a correlation id with the case, is caused by an event or command of the chain,
 * names the case in its data, or is a customs record an approval used. One pass in global order:
 * a cause is always stored before its effects.
 */
export async function causalChain(store: EventStore, applicationIdInput: string): Promise<CausalChain> {
  const applicationId = requireApplicationId(applicationIdInput);
  const { caseEvents, approvals } = await locateApprovals(store, applicationId);
  if (caseEvents.length === 0) throw new AuditNotFound(`case ${applicationId} does not exist`);
  const caseStream = caseStreamId(applicationId);
  const correlation = new Set(caseEvents.map((e) => e.metadata.correlationId));
  const known = new Set<string>();
  const remember = (e: RecordedEvent): void => {
    known.add(e.eventId);
    if (e.metadata.commandId) known.add(e.metadata.commandId);
  };
  caseEvents.forEach(remember);
  const customsUsed = new Set(caseEvents.filter((e) => e.type === 'AwardApproved').flatMap((e) => (e.data as AwardApproved['data']).customsEventIds ?? []));

  const events: (HistoryEntry & { link: ChainLink })[] = [];
  for await (const e of store.readAll()) {
    let link: ChainLink | null = null;
    if (e.streamId === caseStream) link = 'case';
    else if (customsUsed.has(e.eventId)) link = 'customs-used';
    else if (correlation.has(e.metadata.correlationId)) link = 'correlation';
    else if (e.metadata.causationId && known.has(e.metadata.causationId)) link = 'causation';
    else if ((e.data as { applicationId?: unknown } | null)?.applicationId === applicationId) link = 'application';
    if (!link) continue;
    if (link !== 'customs-used') remember(e);
    events.push({ ...toHistoryEntry(e), link });
  }

  const streams: Record<string, number> = {};
  const commands = new Map<string, CausalChain['commands'][number]>();
  for (const e of events) {
    streams[e.streamId] = (streams[e.streamId] ?? 0) + 1;
    if (!e.commandId || e.link === 'customs-used') continue;
    const c = commands.get(e.commandId);
    if (c) c.events++;
    else commands.set(e.commandId, { commandId: e.commandId, actor: e.actor, firstPosition: e.globalPosition, events: 1 });
  }
  return {
    applicationId,
    correlationIds: [...correlation],
    streams,
    commands: [...commands.values()],
    approvals: approvals.map((a) => a.location),
    events,
  };
}
