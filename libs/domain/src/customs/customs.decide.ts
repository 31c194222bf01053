import { InvalidCommand, requireText, requireYear } from '../decider';
import { AMOUNT_LIMITS } from '../shared/amount-limits';
import { Money } from '../shared/money';
import { Uscc } from '../shared/uscc';
import type { CustomsCommand, CustomsRowInput } from './customs.commands';
import { InvalidCustomsRows, type CustomsRowProblem } from './customs.errors';
import type { CustomsEvent, ImportedCustomsFigures, ImportedCustomsRow } from './customs.events';
import type { CustomsState } from './customs.state';

const FIGURES = ['export9610Usd', 'cbecImportUsd', 'cbecExportUsd', 'totalExportUsd'] as const;

export function decideCustoms(command: CustomsCommand, state: CustomsState): CustomsEvent[] {
  const year = requireYear(command.data.year);
  if (state.year !== null && state.year !== year) {
    throw new InvalidCommand('year', `this is the customs statistics stream of ${state.year}, not ${year}`);
  }
  const batchId = requireText(command.data.batchId, 'batchId');
  // The batch id is derived from the file's content: the same file again is not a newer revision, even
  // after another file revised its figures (API.md: "the same file twice stores nothing new").
  if (state.batchIds.includes(batchId)) return [];
  const rows = command.data.rows;
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidCommand('rows', 'must be a non-empty array');

  const problems: CustomsRowProblem[] = [];
  const parsed: (ImportedCustomsRow | null)[] = rows.map((row, index) => parseRow(row, index, year, problems));
  const firstIndexOf = new Map<string, number>();
  parsed.forEach((row, index) => {
    if (!row) return;
    const first = firstIndexOf.get(row.uscc);
    if (first === undefined) return void firstIndexOf.set(row.uscc, index);
    if (!sameFigures(parsed[first]!, row)) {
      problems.push({ row: index, field: 'uscc', detail: `${row.uscc} already has different figures in row ${first} of this batch` });
    }
  });
  if (problems.length > 0) throw new InvalidCustomsRows(problems);

  const events: CustomsEvent[] = [];
  const seen = new Set<string>();
  parsed.forEach((row, rowIndex) => {
    if (!row || seen.has(row.uscc)) return; // an identical duplicate row in one batch counts once
    seen.add(row.uscc);
    const current = state.inForce[row.uscc];
    if (!current) {
      events.push({ type: 'CustomsStatisticsImported', data: { ...row, batchId, rowIndex } });
    } else if (!sameFigures(current, row)) {
      const { name, export9610Usd, cbecImportUsd, cbecExportUsd, totalExportUsd, platformLocalOnlineTradeUsd } = current;
      events.push({
        type: 'CustomsStatisticsRevised',
        data: {
          ...row,
          batchId,
          rowIndex,
          previous: { name, export9610Usd, cbecImportUsd, cbecExportUsd, totalExportUsd, platformLocalOnlineTradeUsd },
          previousEventIndex: current.eventIndex,
        },
      });
    }
    // Identical figures: nothing new for this row.
  });
  // A new batch that changes nothing is still recorded, or importing it again after another file revised
  // these figures would read as a revision back to its (old) figures although it is the same file.
  if (events.length === 0) events.push({ type: 'CustomsBatchUnchanged', data: { year, batchId, rows: rows.length } });
  return events;
}

/** Figures decide; a different spelling of the name alone is not a revision of the statistics. */
function sameFigures(a: ImportedCustomsFigures, b: ImportedCustomsFigures): boolean {
  return FIGURES.every((f) => a[f] === b[f]) && a.platformLocalOnlineTradeUsd === b.platformLocalOnlineTradeUsd;
}

function parseRow(row: CustomsRowInput, index: number, year: number, problems: CustomsRowProblem[]): ImportedCustomsRow | null {
  const before = problems.length;
  const bad = (field: string, detail: string): void => void problems.push({ row: index, field, detail });
  if (typeof row !== 'object' || row === null) {
    bad('row', 'must be an object');
    return null;
  }
  if (row.year !== year) bad('year', `must be ${year} (this stream's year), got ${JSON.stringify(row.year)}`);
  let uscc = '';
  try {
    uscc = Uscc.parse(row.uscc, 'uscc').value;
  } catch (error) {
    bad('uscc', (error as { detail?: string }).detail ?? (error as Error).message);
  }
  const name = typeof row.name === 'string' ? row.name.trim() : '';
  if (name === '') bad('name', 'must be a non-empty string');
  const money = (field: string, value: unknown): string => {
    try {
      const amount = Money.parse(value, 'USD', field);
      // Within the limit, every award computed from the figure and every sum of it stays exact.
      const { max, appliesTo } = AMOUNT_LIMITS.customsFigureUsd;
      if (amount.gt(max)) bad(field, `${amount.toString()} USD is above the limit of ${max.toString()} USD for ${appliesTo}`);
      return amount.toString();
    } catch (error) {
      bad(field, (error as { detail?: string }).detail ?? (error as Error).message);
      return '';
    }
  };
  const figures = {
    export9610Usd: money('export9610Usd', row.export9610Usd),
    cbecImportUsd: money('cbecImportUsd', row.cbecImportUsd),
    cbecExportUsd: money('cbecExportUsd', row.cbecExportUsd),
    totalExportUsd: money('totalExportUsd', row.totalExportUsd),
    platformLocalOnlineTradeUsd:
      // An empty CSV cell means the statistics record none (ordinary enterprises have no platform trade).
      row.platformLocalOnlineTradeUsd === undefined || row.platformLocalOnlineTradeUsd === null || row.platformLocalOnlineTradeUsd === ''
        ? null
        : money('platformLocalOnlineTradeUsd', row.platformLocalOnlineTradeUsd),
  };
  if (problems.length > before) return null;
  return { year, uscc, name, ...figures };
}
