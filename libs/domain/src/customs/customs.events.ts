import type { DomainEvent } from '../decider';

/**
 * Customs statistics (海关统计数据) imported by CUS, stream `customs-<year>`. A (year, uscc) has one set of
 * figures in force; a revision keeps the previous values in the event, so whatever a decision used can
 * always be found again. USD amounts are decimal strings ("50000.00").
 */

export interface ImportedCustomsFigures {
  export9610Usd: string;
  cbecImportUsd: string;
  cbecExportUsd: string;
  totalExportUsd: string;
  /** Only platforms have it (P3a); null otherwise. */
  platformLocalOnlineTradeUsd: string | null;
}

/** One row of an imported file, in its stored form. */
export interface ImportedCustomsRow extends ImportedCustomsFigures {
  year: number;
  uscc: string;
  name: string;
}

export type CustomsStatisticsImported = DomainEvent<'CustomsStatisticsImported', ImportedCustomsRow & { batchId: string; rowIndex: number }>;

/** Different figures for a (year, uscc) already imported: the new ones are in force from here on. */
export type CustomsStatisticsRevised = DomainEvent<
  'CustomsStatisticsRevised',
  ImportedCustomsRow & {
    batchId: string;
    rowIndex: number;
    previous: ImportedCustomsFigures & { name: string };
    /** 0-based position, in this stream, of the event that set the previous figures. */
    previousEventIndex: number;
  }
>;

/**
 * A batch (file) not seen before whose rows all equal the figures in force: no figure changes, but the
 * batch id is recorded, so the same file again stores nothing even after a newer file revised those
 * figures (docs/api.md: "the same file twice stores nothing new"). Bookkeeping only: not published.
 */
export type CustomsBatchUnchanged = DomainEvent<
  'CustomsBatchUnchanged',
  {
    year: number;
    batchId: string;
    /** How many rows of this year the batch held (all equal to the figures in force). */
    rows: number;
  }
>;

export type CustomsEvent = CustomsStatisticsImported | CustomsStatisticsRevised | CustomsBatchUnchanged;

export const CUSTOMS_EVENT_TYPES: readonly CustomsEvent['type'][] = ['CustomsStatisticsImported', 'CustomsStatisticsRevised', 'CustomsBatchUnchanged'];

export const customsStreamId = (year: number): string => `customs-${year}`;
