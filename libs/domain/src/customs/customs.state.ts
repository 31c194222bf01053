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
   * importing one again stores nothing (API.md).
   */
  batchIds: string[];
}

export const initialCustomsState = (): CustomsState => ({ year: null, eventCount: 0, inForce: {}, batchIds: [] });

export function evolveCustoms(state: CustomsState, event: CustomsEvent): CustomsState {
  // Every event of the stream counts (eventIndex is the stream revision), even one this version does not know.
  if (!(CUSTOMS_EVENT_TYPES as readonly string[]).includes(event.type)) return { ...state, eventCount: state.eventCount + 1 };
  const batchIds = state.batchIds.includes(event.data.batchId) ? state.batchIds : [...state.batchIds, event.data.batchId];
  if (event.type === 'CustomsBatchUnchanged') {
    return { ...state, year: event.data.year, eventCount: state.eventCount + 1, batchIds };
  }
  const d = event.data;
  const previous = state.inForce[d.uscc];
  return {
    year: d.year,
    eventCount: state.eventCount + 1,
    batchIds,
    inForce: {
      ...state.inForce,
      [d.uscc]: {
        uscc: d.uscc,
        name: d.name,
        export9610Usd: d.export9610Usd,
        cbecImportUsd: d.cbecImportUsd,
        cbecExportUsd: d.cbecExportUsd,
        totalExportUsd: d.totalExportUsd,
        platformLocalOnlineTradeUsd: d.platformLocalOnlineTradeUsd,
        eventIndex: state.eventCount,
        batchId: d.batchId,
        revision: event.type === 'CustomsStatisticsRevised' && previous ? previous.revision + 1 : 0,
      },
    },
  };
}
