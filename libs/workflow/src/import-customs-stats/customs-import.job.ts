import { CustomsEvent, customsDecider, CustomsState, customsStreamId, CustomsYearDecision, DomainError, InvalidCustomsRows } from '@cbec/domain';
import { WrongExpectedVersion } from '@cbec/event-store';
import {
  AggregateStore,
  CommandContext,
  deterministicEventId,
  deterministicId,
  Unprocessable,
  VersionConflict,
  WorkflowError,
  MAX_CUSTOMS_ROWS,
} from '@cbec/platform';
import { CustomsFile, readCustomsFile } from './customs-file';
import { CsvRowProblem, CustomsYearRows } from './customs-rows';

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

/** Decided events handed to the store at a time: what an import holds of a year's events at once. */
const EVENTS_PER_CHUNK = 2000;

/** More rows than MAX_CUSTOMS_ROWS: refused as soon as the count is past it (the rest is not read). */
export class TooManyCustomsRows extends WorkflowError {
  readonly code = 'too-many-customs-rows';
  readonly httpStatus = 413;
  readonly limit: number;
  readonly errors: ReadonlyArray<Record<string, unknown>>;
  constructor(line: number, limit: number) {
    super(
      `the customs file has more than ${limit} rows (MAX_CUSTOMS_ROWS, docs/limits.md): line ${line} is row ${limit + 1}; nothing was imported. Split it, e.g. one file per year`,
    );
    this.limit = limit;
    this.errors = [{ line, field: 'file', reason: `row ${limit + 1}: more than MAX_CUSTOMS_ROWS (${limit}) rows` }];
  }
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
 * Every step is O(rows) and holds per row only the compact row (CustomsYearRows) until every year is
 * decided: the decision runs row by row (CustomsYearDecision, the customs decider's own decision), and a
 * year's events are decided, prepared and staged a chunk at a time into ONE append
 * (AggregateStore.appendChunked: all of the year or nothing). It runs on whichever thread holds
 * `aggregates` (customs-imports.ts: a worker thread for a large file).
 */
export async function runCustomsImport(
  file: CustomsFile,
  ctx: CommandContext,
  aggregates: AggregateStore,
  hooks: ImportHooks,
  options: { maxRows?: number } = {},
): Promise<ImportCustomsStatsAnswer> {
  const progress: ImportProgress = { state: 'checking', rowsChecked: 0, rowsStored: 0 };
  const report = (change: Partial<ImportProgress>): void => hooks.progress(Object.assign(progress, change));
  report({});
  const maxRows = options.maxRows ?? MAX_CUSTOMS_ROWS;
  const checked = await readCustomsFile(file, { progress: (rowsChecked) => report({ rowsChecked }), pause: hooks.pause, maxRows });
  report({ rowsChecked: checked.rows });
  if (checked.tooManyRows) throw new TooManyCustomsRows(checked.tooManyRows.line, maxRows);
  if (checked.problems.length > 0) throw refusal(checked.problems);
  const batchId = deterministicId('customs-batch', checked.contentHash);
  const years = [...checked.byYear.values()].sort((a, b) => a.year - b.year);
  checked.byYear.clear(); // `years` holds the rows now, and lets each year go once stored

  // Decide every year before appending any: a refusal of one year must not leave another stored.
  report({ state: 'deciding' });
  const refused: CsvRowProblem[] = [];
  for (const rows of years) {
    await hooks.pause?.();
    const { state } = await aggregates.loadState(customsStreamId(rows.year), customsDecider, () => false);
    const decision = new CustomsYearDecision({ year: rows.year, batchId }, state);
    if (decision.alreadyImported) continue;
    for (let i = 0; i < rows.length; i++) {
      decision.check(rows.row(i), i);
      if (hooks.pause && i % 2000 === 1999) await hooks.pause();
    }
    try {
      decision.refuseIfAnyProblem();
    } catch (error) {
      if (!(error instanceof InvalidCustomsRows)) throw error;
      refused.push(...error.problems.map((p) => ({ line: rows.line(p.row) ?? 0, field: p.field, reason: p.detail })));
    }
  }
  if (refused.length > 0) throw refusal(refused.sort((a, b) => a.line - b.line));

  // Each append decides again on the stream's state then (and again after a conflict with another
  // import): rows do not refuse by state, and another import can only turn rows into nothing new.
  report({ state: 'storing' });
  const answer: ImportCustomsStatsAnswer = { batchId, rows: checked.rows, imported: 0, revised: 0, unchanged: 0, streams: [], version: -1, position: 0 };
  // Each year is released once stored: its rows need not stay in memory for the next.
  for (let rows = years.shift(); rows; rows = years.shift()) {
    await hooks.pause?.();
    const year = rows.year;
    const streamId = customsStreamId(year);
    const stored = await storeYear(rows, streamId, batchId, { ...ctx, commandId: deterministicId(ctx.commandId, 'customs-year', String(year)) }, aggregates);
    answer.imported += stored.imported;
    answer.revised += stored.revised;
    answer.streams.push({ streamId, year, version: stored.version, position: stored.position });
    answer.version = stored.version;
    answer.position = Math.max(answer.position, stored.position);
    report({ rowsStored: progress.rowsStored + rows.length });
    rows.release();
  }
  // Rows with nothing new, whether or not their year recorded the batch (CustomsBatchUnchanged).
  answer.unchanged = answer.rows - answer.imported - answer.revised;
  return answer;
}

/**
 * One year's ImportCustomsStats, as AggregateStore.execute would run it (a repeat of the same command id
 * answers from its stored events; a conflict decides again, at most 5 times), its events decided and
 * handed to the store a chunk at a time.
 */
async function storeYear(
  rows: CustomsYearRows,
  streamId: string,
  batchId: string,
  ctx: CommandContext,
  aggregates: AggregateStore,
): Promise<{ imported: number; revised: number; version: number; position: number }> {
  const firstEventId = deterministicEventId(ctx.commandId, 0);
  for (let attempt = 0; ; attempt++) {
    // The stream's events stay in `loadYear`: its state decides, and they are not held while storing.
    const { state, version, position, repeated } = await loadYear(aggregates, streamId, firstEventId, ctx.commandId);
    if (repeated) return repeated;
    const decision = new CustomsYearDecision({ year: rows.year, batchId }, state);
    if (decision.alreadyImported) return { imported: 0, revised: 0, version, position };
    const counts = { imported: 0, revised: 0 };
    function* chunks(): Generator<CustomsEvent[]> {
      let chunk: CustomsEvent[] = [];
      for (let i = 0; i < rows.length; i++) {
        const event = decision.eventOf(decision.parse(rows.row(i), i), i);
        if (!event) continue;
        if (event.type === 'CustomsStatisticsImported') counts.imported++;
        else if (event.type === 'CustomsStatisticsRevised') counts.revised++;
        chunk.push(event);
        if (chunk.length === EVENTS_PER_CHUNK) {
          yield chunk;
          chunk = [];
        }
      }
      chunk.push(...decision.finish(rows.length));
      if (chunk.length > 0) yield chunk;
    }
    try {
      const appended = await aggregates.appendChunked(streamId, version, chunks(), ctx);
      return { ...counts, version: appended.nextExpectedVersion, position: appended.lastGlobalPosition };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion)) throw error;
      if (attempt >= 5) throw new VersionConflict(streamId, version, error.actual);
    }
  }
}

/** A year stream's state, or the answer of this same command stored before (a repeat). */
async function loadYear(
  aggregates: AggregateStore,
  streamId: string,
  firstEventId: string,
  commandId: string,
): Promise<{ state: CustomsState; version: number; position: number; repeated?: { imported: number; revised: number; version: number; position: number } }> {
  const { state, version, position, events } = await aggregates.loadState(streamId, customsDecider, (e) => e.metadata.commandId === commandId);
  const earlier = events.findIndex((e) => e.eventId === firstEventId);
  if (earlier < 0) return { state, version, position };
  const stored = events.slice(earlier);
  const last = stored[stored.length - 1];
  return { state, version, position, repeated: { ...countOf(stored), version: last.version, position: last.globalPosition } };
}

function countOf(events: ReadonlyArray<{ type: string }>): { imported: number; revised: number } {
  let imported = 0;
  let revised = 0;
  for (const e of events) {
    if (e.type === 'CustomsStatisticsImported') imported++;
    else if (e.type === 'CustomsStatisticsRevised') revised++;
  }
  return { imported, revised };
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
