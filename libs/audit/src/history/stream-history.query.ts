import type { EventStore } from '@cbec/event-store';
import { AuditNotFound, HistoryEntry, requireStreamId, toHistoryEntry } from '../shared/history-entry';

export interface StreamHistory {
  streamId: string;
  version: number;
  events: HistoryEntry[];
}

/** Every event of one stream, in version order, with actor, unit, role, time, command, correlation and causation. */
export async function streamHistory(store: EventStore, streamIdInput: string): Promise<StreamHistory> {
  const streamId = requireStreamId(streamIdInput);
  const events: HistoryEntry[] = [];
  for await (const e of store.readStream(streamId)) events.push(toHistoryEntry(e));
  if (events.length === 0) throw new AuditNotFound(`stream ${streamId} has no events`);
  return { streamId, version: events[events.length - 1].version, events };
}
