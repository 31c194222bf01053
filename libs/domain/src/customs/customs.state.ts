import { CUSTOMS_EVENT_TYPES, type CustomsEvent, type ImportedCustomsFigures } from './customs.events';

export interface CustomsFiguresInForce extends ImportedCustomsFigures {
  uscc: string;
  name: string;
  /** 0-based position in the stream of the event that set these figures (the store's stream revision). */
  eventIndex: number;
  batchId: string;
  /** 0 for the first import, +1 per revision. */
  revision: number;
}

export interface CustomsState {
  year: number | null;
  /** How many events the stream holds: the index the next event will have. */
  eventCount: number;
  inForce: Record<string, CustomsFiguresInForce>;
  /**
   * Every batch (file) seen here, including one that changed no figure (CustomsBatchUnchanged):
   * importing one again stores nothing (docs/api.md).
   */
  batchIds: string[];
}

export const initialCustomsState = (): CustomsState => ({ year: null, eventCount: 0, inForce: {}, batchIds: [] });

export function evolveCustoms(state: CustomsState, event: CustomsEvent): CustomsState {
  return foldCustoms(state, [event]);
}

/**
 * Folds many events at once: the state is copied once, then each event costs O(1), so a batch or a
 * stream of n rows folds in O(n) (folding them one by one through `evolveCustoms` copies the figures in
 * force per event: O(n²) for one large import). Pure: `state` is not changed.
 */
export function foldCustoms(state: CustomsState, events: Iterable<CustomsEvent>): CustomsState {
  const next: CustomsState = { year: state.year, eventCount: state.eventCount, inForce: { ...state.inForce }, batchIds: [...state.batchIds] };
  const batches = new Set(next.batchIds);
  for (const event of events) applyInPlace(next, batches, event);
  return next;
}

function applyInPlace(state: CustomsState, batches: Set<string>, event: CustomsEvent): void {
  // Every event of the stream counts (eventIndex is the stream revision), even one this version does not know.
  const eventIndex = state.eventCount++;
  if (!(CUSTOMS_EVENT_TYPES as readonly string[]).includes(event.type)) return;
  if (!batches.has(event.data.batchId)) {
    batches.add(event.data.batchId);
    state.batchIds.push(event.data.batchId);
  }
  if (event.type === 'CustomsBatchUnchanged') {
    state.year = event.data.year;
    return;
  }
  const d = event.data;
  const previous = state.inForce[d.uscc];
  state.year = d.year;
  state.inForce[d.uscc] = {
    uscc: d.uscc,
    name: d.name,
    export9610Usd: d.export9610Usd,
    cbecImportUsd: d.cbecImportUsd,
    cbecExportUsd: d.cbecExportUsd,
    totalExportUsd: d.totalExportUsd,
    platformLocalOnlineTradeUsd: d.platformLocalOnlineTradeUsd,
    eventIndex,
    batchId: d.batchId,
    revision: event.type === 'CustomsStatisticsRevised' && previous ? previous.revision + 1 : 0,
  };
}
