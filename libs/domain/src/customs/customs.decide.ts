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
  const decision = new CustomsYearDecision(command.data, state);
  if (decision.alreadyImported) return [];
  const rows = command.data.rows;
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidCommand('rows', 'must be a non-empty array');
  const parsed = rows.map((row, index) => decision.check(row, index));
  decision.refuseIfAnyProblem();
  const events: CustomsEvent[] = [];
  parsed.forEach((row, rowIndex) => {
    const event = row && decision.eventOf(row, rowIndex);
    if (event) events.push(event);
  });
  events.push(...decision.finish(rows.length));
  return events;
}

/**
 * decideCustoms for one year, row by row: a batch of hundreds of thousands of rows is decided without
 * holding its rows or its events at once. `check` every row first (the problems decideCustoms refuses
 * with, in the same order), then `parse` and `eventOf` each row again in batch order (the events
 * decideCustoms decides, in the same order), then `finish`. decideCustoms is this decision over an array.
 */
export class CustomsYearDecision {
  readonly year: number;
  readonly batchId: string;
  /** The batch is in this stream already: nothing to decide (docs/api.md: "the same file twice stores nothing new"). */
  readonly alreadyImported: boolean;
  private readonly parseProblems: CustomsRowProblem[] = [];
  private readonly duplicateProblems: CustomsRowProblem[] = [];
  /** The first valid row of each USCC: its index and its figures (`figuresKey`). */
  private readonly firstOf = new Map<string, { index: number; figures: string }>();
  /** USCCs that have had their event (an identical duplicate row in one batch counts once). */
  private readonly decided = new Set<string>();
  private events = 0;

  constructor(
    data: { year: number; batchId: string },
    private readonly state: CustomsState,
  ) {
    this.year = requireYear(data.year);
    if (state.year !== null && state.year !== this.year) {
      throw new InvalidCommand('year', `this is the customs statistics stream of ${state.year}, not ${this.year}`);
    }
    this.batchId = requireText(data.batchId, 'batchId');
    // The batch id is derived from the file's content: the same file again is not a newer revision, even
    // after another file revised its figures (docs/api.md: "the same file twice stores nothing new").
    this.alreadyImported = state.batchIds.includes(this.batchId);
  }

  /** Every problem found by `check` so far: each row's own first, then the USCCs given different figures. */
  get problems(): CustomsRowProblem[] {
    return [...this.parseProblems, ...this.duplicateProblems];
  }

  /** The row as stored, or null (its problems recorded); a USCC with different figures earlier is a problem. */
  check(row: CustomsRowInput, index: number): ImportedCustomsRow | null {
    const parsed = parseRow(row, index, this.year, this.parseProblems);
    if (!parsed) return null;
    const first = this.firstOf.get(parsed.uscc);
    if (first === undefined) this.firstOf.set(parsed.uscc, { index, figures: figuresKey(parsed) });
    else if (first.figures !== figuresKey(parsed)) {
      this.duplicateProblems.push({ row: index, field: 'uscc', detail: `${parsed.uscc} already has different figures in row ${first.index} of this batch` });
    }
    return parsed;
  }

  /** After every row was checked: any problem refuses the whole batch. Frees what checking held. */
  refuseIfAnyProblem(): void {
    this.firstOf.clear();
    const problems = this.problems;
    if (problems.length > 0) throw new InvalidCustomsRows(problems);
  }

  /** A row checked before, as stored (an InvalidCustomsRows if it has a problem after all). */
  parse(row: CustomsRowInput, index: number): ImportedCustomsRow {
    const problems: CustomsRowProblem[] = [];
    const parsed = parseRow(row, index, this.year, problems);
    if (!parsed) throw new InvalidCustomsRows(problems);
    return parsed;
  }

  /** The event of one row, in batch order (`rowIndex`: its index in the batch); null when nothing is new. */
  eventOf(row: ImportedCustomsRow, rowIndex: number): CustomsEvent | null {
    if (this.decided.has(row.uscc)) return null; // an identical duplicate row in one batch counts once
    this.decided.add(row.uscc);
    const batchId = this.batchId;
    const current = this.state.inForce[row.uscc];
    if (!current) {
      this.events++;
      return { type: 'CustomsStatisticsImported', data: { ...row, batchId, rowIndex } };
    }
    if (sameFigures(current, row)) return null; // identical figures: nothing new for this row
    this.events++;
    const { name, export9610Usd, cbecImportUsd, cbecExportUsd, totalExportUsd, platformLocalOnlineTradeUsd } = current;
    return {
      type: 'CustomsStatisticsRevised',
      data: {
        ...row,
        batchId,
        rowIndex,
        previous: { name, export9610Usd, cbecImportUsd, cbecExportUsd, totalExportUsd, platformLocalOnlineTradeUsd },
        previousEventIndex: current.eventIndex,
      },
    };
  }

  /**
   * After the last row's event: a new batch that changes nothing is still recorded, or importing it again
   * after another file revised these figures would read as a revision back to its (old) figures although
   * it is the same file.
   */
  finish(rows: number): CustomsEvent[] {
    this.decided.clear();
    return this.events === 0 ? [{ type: 'CustomsBatchUnchanged', data: { year: this.year, batchId: this.batchId, rows } }] : [];
  }
}

function figuresKey(f: ImportedCustomsFigures): string {
  return `${f.export9610Usd}|${f.cbecImportUsd}|${f.cbecExportUsd}|${f.totalExportUsd}|${f.platformLocalOnlineTradeUsd ?? ''}`;
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
