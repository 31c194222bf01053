import type { BeneficiaryState } from '@cbec/domain';
import type { EventStore, RecordedEvent } from '@cbec/event-store';
import { AuditNotFound, requireStreamId } from '../shared/history-entry';
import { asOfOption, type At } from './at';
import { beneficiaryTotals, deciderFor, foldCustoms, streamKind, toDomainEvent, type CustomsInForce, type StreamKind } from './stream-kinds';

export interface StreamAsOf {
  streamId: string;
  kind: StreamKind;
  at: At;
  /** Version of the last event at that moment (-1: the stream did not exist yet). */
  version: number;
  lastEvent: { eventId: string; type: string; globalPosition: number; recordedAt: string } | null;
  /** The aggregate's state, folded by the domain's `evolve` over the events up to that moment. */
  state: unknown;
  /** Beneficiary streams: awarded amounts per year and program. */
  totals?: unknown;
}

/**
 * A stream as it stood at a moment: its events up to a global position or time (the store's `asOf`
 * read), replayed through the domain's `evolve`. Nothing is read from the projections.
 */
export async function streamAsOf(store: EventStore, streamIdInput: string, at: At): Promise<StreamAsOf> {
  const streamId = requireStreamId(streamIdInput);
  const kind = streamKind(streamId);
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(streamId, { asOf: asOfOption(at) })) events.push(e);
  if (events.length === 0) {
    // Distinguish "not yet at that moment" from "no such stream".
    for await (const _ of store.readStream(streamId, { toVersion: 0 })) {
      return { streamId, kind, at, version: -1, lastEvent: null, state: null };
    }
    throw new AuditNotFound(`stream ${streamId} has no events`);
  }
  const last = events[events.length - 1];
  const result: StreamAsOf = {
    streamId,
    kind,
    at,
    version: last.version,
    lastEvent: { eventId: last.eventId, type: last.type, globalPosition: last.globalPosition, recordedAt: last.recordedAt },
    state: foldStream(kind, events),
  };
  if (kind === 'beneficiary') result.totals = beneficiaryTotals(result.state as BeneficiaryState);
  return result;
}

export function foldStream(kind: StreamKind, events: readonly RecordedEvent[]): unknown {
  if (kind === 'customs') return events.reduce<CustomsInForce>(foldCustoms, {});
  const decider = deciderFor(kind);
  if (!decider) return { events: events.length };
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, toDomainEvent(e));
  return state;
}
