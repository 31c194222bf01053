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

export type CustomsStatisticsImported = DomainEvent<
  'CustomsStatisticsImported',
  ImportedCustomsRow & { batchId: string; rowIndex: number }
>;

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

export type CustomsEvent = CustomsStatisticsImported | CustomsStatisticsRevised;

export const CUSTOMS_EVENT_TYPES: readonly CustomsEvent['type'][] = [
  'CustomsStatisticsImported',
  'CustomsStatisticsRevised',
];

export const customsStreamId = (year: number): string => `customs-${year}`;
