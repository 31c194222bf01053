import type { DomainCommand } from '../decider';

/** A row as read from the customs file (docs/api.md's CSV header), USD amounts as decimal strings. */
export interface CustomsRowInput {
  year: number;
  uscc: string;
  name: string;
  export9610Usd: string;
  cbecImportUsd: string;
  cbecExportUsd: string;
  totalExportUsd: string;
  platformLocalOnlineTradeUsd?: string | null;
}

/**
 * Imports the rows of one year (stream `customs-<year>`); a file holding several years is split by
 * year first (`splitCustomsRowsByYear`), one command per year stream. Any bad row refuses the whole
 * batch (`InvalidCustomsRows`, every bad row listed): nothing is stored.
 */
export type ImportCustomsStats = DomainCommand<'ImportCustomsStats', { year: number; batchId: string; rows: CustomsRowInput[] }>;

export type CustomsCommand = ImportCustomsStats;

/** Groups rows by their year, keeping each row's index in the original batch. */
export function splitCustomsRowsByYear<R extends { year: unknown }>(rows: readonly R[]): Map<R['year'], R[]> {
  const byYear = new Map<R['year'], R[]>();
  for (const row of rows) {
    const list = byYear.get(row.year) ?? [];
    list.push(row);
    byYear.set(row.year, list);
  }
  return byYear;
}
