import { customsDecider, customsStreamId, DomainError, InvalidCustomsRows } from '@cbec/domain';
import { AggregateStore, CommandContext, deterministicId } from '../shared/aggregate-store';
import { Unprocessable, WorkflowError } from '../shared/errors';
import { CustomsFile, readCustomsFile } from './customs-file';
import { CsvRowProblem } from './customs-rows';

export interface ImportCustomsStatsAnswer {
  batchId: string;
  rows: number;
  imported: number;
  revised: number;
  unchanged: number;
  streams: Array<{ streamId: string; year: number; version: number; position: number }>;
  /** The last stream's version (one per year in the file: see `streams`). */
  version: number;
  position: number;
}

/** Where an import is: reading and checking rows, deciding per year, storing per year, then its answer. */
export type ImportState = 'checking' | 'deciding' | 'storing' | 'done' | 'refused' | 'failed';

export interface ImportProgress {
  state: ImportState;
  /** Rows of the file read and checked so far (the header not counted). */
  rowsChecked: number;
  /** Rows whose year is stored (appended) so far. */
  rowsStored: number;
}

export interface ImportHooks {
  progress(progress: ImportProgress): void;
  /** Awaited between slices of work when the import runs on the event loop (yield to other requests). */
  pause?: () => Promise<void>;
}

/**
 * 海关统计数据: every row is checked before anything is stored; then one ImportCustomsStats per year
 * stream. The same file twice stores nothing new (its batch id, from the decoded content, is in every year
 * stream it reached: a year whose figures were all in force records the batch with CustomsBatchUnchanged);
 * different figures for a (year, USCC) already imported are a revision (both kept, the newer in force).
 *
 * A file spanning several years is decided for every year first (each year's current state) and appended
 * only when no year refuses, so a refusal never leaves earlier years stored; the 422 lists every bad row
 * of every year by its line. The appends themselves are one per year stream, so a crash (or a conflict
 * that outlasts the retries) between two of them can leave the file stored for the earlier years only.
 * Importing the same file again completes it: the years that hold its batch id decide nothing, the others
 * store their events, and nothing is stored twice (a repeat with the same Idempotency-Key also re-derives
 * the same per-year command and event ids).
 *
 * Every step is O(rows): reading and checking stream the file, rows are grouped by year as they come, the
 * decider folds a batch at once (`customsDecider.fold`). It runs on whichever thread holds `aggregates`
 * (customs-imports.ts: a worker thread for a large file).
 */
export async function runCustomsImport(
  file: CustomsFile,
  ctx: CommandContext,
  aggregates: AggregateStore,
  hooks: ImportHooks,
): Promise<ImportCustomsStatsAnswer> {
  const progress: ImportProgress = { state: 'checking', rowsChecked: 0, rowsStored: 0 };
  const report = (change: Partial<ImportProgress>): void => hooks.progress(Object.assign(progress, change));
  report({});
  const checked = await readCustomsFile(file, { progress: (rowsChecked) => report({ rowsChecked }), pause: hooks.pause });
  report({ rowsChecked: checked.rows });
  if (checked.problems.length > 0) throw refusal(checked.problems);
  const batchId = deterministicId('customs-batch', checked.contentHash);
  const years = [...checked.byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, yearRows]) => ({
      year,
      yearRows,
      streamId: customsStreamId(year),
      // The rows keep their `line`: the decider reads the row fields only.
      command: { type: 'ImportCustomsStats' as const, data: { year, batchId, rows: yearRows } },
    }));
  checked.byYear.clear(); // `years` holds the rows now, and lets each year go once stored

  // Decide every year before appending any: a refusal of one year must not leave another stored.
  report({ state: 'deciding' });
  const refused: CsvRowProblem[] = [];
  for (const { streamId, command, yearRows } of years) {
    await hooks.pause?.();
    const { state } = await aggregates.load(streamId, customsDecider);
    try {
      customsDecider.decide(command, state);
    } catch (error) {
      if (!(error instanceof InvalidCustomsRows)) throw error;
      refused.push(...error.problems.map((p) => ({ line: yearRows[p.row]?.line ?? 0, field: p.field, reason: p.detail })));
    }
  }
  if (refused.length > 0) throw refusal(refused.sort((a, b) => a.line - b.line));

  // Each append decides again on the stream's state then (and again after a conflict with another
  // import): rows do not refuse by state, and another import can only turn rows into nothing new.
  report({ state: 'storing' });
  const answer: ImportCustomsStatsAnswer = { batchId, rows: checked.rows, imported: 0, revised: 0, unchanged: 0, streams: [], version: -1, position: 0 };
  // Each year is released once stored: its rows and events need not stay in memory for the next.
  for (let next = years.shift(); next; next = years.shift()) {
    const { year, streamId, command, yearRows } = next;
    await hooks.pause?.();
    const result = await aggregates.execute(streamId, customsDecider, command, {
      ...ctx,
      commandId: deterministicId(ctx.commandId, 'customs-year', String(year)),
    });
    let imported = 0;
    let revised = 0;
    for (const e of result.events) {
      if (e.type === 'CustomsStatisticsImported') imported++;
      else if (e.type === 'CustomsStatisticsRevised') revised++;
    }
    answer.imported += imported;
    answer.revised += revised;
    answer.streams.push({ streamId, year, version: result.version, position: result.position });
    answer.version = result.version;
    answer.position = Math.max(answer.position, result.position);
    report({ rowsStored: progress.rowsStored + yearRows.length });
  }
  // Rows with nothing new, whether or not their year recorded the batch (CustomsBatchUnchanged).
  answer.unchanged = answer.rows - answer.imported - answer.revised;
  return answer;
}

/** 422 listing every bad row by its line in the file; nothing was stored. */
function refusal(problems: CsvRowProblem[]): Unprocessable {
  const lines = new Set(problems.map((p) => p.line)).size;
  const undecodable = problems.some((p) => p.reason.includes('U+FFFD'));
  return new Unprocessable(
    undecodable ? 'undecodable-customs-file' : 'invalid-customs-rows',
    `${lines} bad row(s) in the customs file; nothing was imported: ${problems
      .slice(0, 10)
      .map((p) => `line ${p.line} ${p.field}: ${p.reason}`)
      .join('; ')}${problems.length > 10 ? '; …' : ''}`,
    problems.map((p) => ({ ...p })),
  );
}

/** A refusal as it crosses from a worker thread: code, status, message and the listed problems. */
export interface SerializedRefusal {
  code: string;
  httpStatus: number;
  message: string;
  errors?: ReadonlyArray<Record<string, unknown>>;
  /** Any other field of the error (e.g. a domain refusal's `field`), rendered into the problem as before. */
  extensions?: Record<string, unknown>;
}

export function serializeRefusal(error: unknown): SerializedRefusal | undefined {
  if (!(error instanceof WorkflowError || error instanceof DomainError)) return undefined;
  const extensions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(error)) if (!['code', 'httpStatus', 'name', 'message', 'stack'].includes(k) && typeof v !== 'function') extensions[k] = v;
  return {
    code: error.code,
    httpStatus: error.httpStatus,
    message: error.message,
    extensions: JSON.parse(JSON.stringify(extensions)) as Record<string, unknown>,
  };
}

/** The refusal an import thread sent, answered as the same problem the import on this thread would give. */
export class ImportRefused extends WorkflowError {
  readonly code: string;
  readonly httpStatus: number;
  constructor(refusal: SerializedRefusal) {
    super(refusal.message);
    this.code = refusal.code;
    this.httpStatus = refusal.httpStatus;
    Object.assign(this, refusal.extensions ?? {});
  }
}
