import { createHash } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { customsDecider, customsStreamId, InvalidCustomsRows } from '@cbec/domain';
import { assertCanAct } from '../auth/authorization';
import { AggregateStore, deterministicId } from '../shared/aggregate-store';
import { Unprocessable } from '../shared/errors';
import { ImportCustomsStatsCommand } from './import-customs-stats.command';
import { CsvRowProblem, ParsedCustomsRow, parseCustomsCsv } from './customs-csv';

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

/**
 * 海关统计数据: every row is checked before anything is stored; then one ImportCustomsStats per year
 * stream. The same file twice stores nothing new (its batch id, from the content, is in every year stream
 * it reached: a year whose figures were all in force records the batch with CustomsBatchUnchanged);
 * different figures for a (year, USCC) already imported are a revision (both kept, the newer in force).
 *
 * A file spanning several years is decided for every year first (each year's current state) and appended
 * only when no year refuses, so a refusal never leaves earlier years stored; the 422 lists every bad row
 * of every year by its CSV line. The appends themselves are one per year stream, so a crash (or a
 * conflict that outlasts the retries) between two of them can leave the file stored for the earlier years
 * only. Importing the same file again completes it: the years that hold its batch id decide nothing, the
 * others store their events, and nothing is stored twice (a repeat with the same Idempotency-Key also
 * re-derives the same per-year command and event ids).
 */
@CommandHandler(ImportCustomsStatsCommand)
export class ImportCustomsStatsHandler implements ICommandHandler<ImportCustomsStatsCommand, ImportCustomsStatsAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ csv, ctx }: ImportCustomsStatsCommand): Promise<ImportCustomsStatsAnswer> {
    assertCanAct(ctx.actor, 'import-customs-stats');
    const { rows, problems } = parseCustomsCsv(csv);
    if (problems.length > 0) throw refusal(problems);
    const batchId = deterministicId('customs-batch', createHash('sha256').update(csv).digest('hex'));
    const byYear = new Map<number, ParsedCustomsRow[]>();
    for (const row of rows) byYear.set(row.year, [...(byYear.get(row.year) ?? []), row]);
    const years = [...byYear.entries()]
      .sort(([a], [b]) => a - b)
      .map(([year, yearRows]) => ({
        year,
        yearRows,
        streamId: customsStreamId(year),
        command: { type: 'ImportCustomsStats' as const, data: { year, batchId, rows: yearRows.map(({ line: _line, ...row }) => row) } },
      }));

    // Decide every year before appending any: a refusal of one year must not leave another stored.
    const refused: CsvRowProblem[] = [];
    for (const { streamId, command, yearRows } of years) {
      const { state } = await this.aggregates.load(streamId, customsDecider);
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
    const answer: ImportCustomsStatsAnswer = { batchId, rows: rows.length, imported: 0, revised: 0, unchanged: 0, streams: [], version: -1, position: 0 };
    for (const { year, streamId, command } of years) {
      const result = await this.aggregates.execute(streamId, customsDecider, command, {
        ...ctx,
        commandId: deterministicId(ctx.commandId, 'customs-year', String(year)),
      });
      const imported = result.events.filter((e) => e.type === 'CustomsStatisticsImported').length;
      const revised = result.events.filter((e) => e.type === 'CustomsStatisticsRevised').length;
      answer.imported += imported;
      answer.revised += revised;
      answer.streams.push({ streamId, year, version: result.version, position: result.position });
      answer.version = result.version;
      answer.position = Math.max(answer.position, result.position);
    }
    // Rows with nothing new, whether or not their year recorded the batch (CustomsBatchUnchanged).
    answer.unchanged = answer.rows - answer.imported - answer.revised;
    return answer;
  }
}

/** 422 listing every bad row by its line in the file; nothing was stored. */
function refusal(problems: CsvRowProblem[]): Unprocessable {
  const lines = new Set(problems.map((p) => p.line)).size;
  return new Unprocessable(
    'invalid-customs-rows',
    `${lines} bad row(s) in the customs file; nothing was imported: ${problems
      .slice(0, 10)
      .map((p) => `line ${p.line} ${p.field}: ${p.reason}`)
      .join('; ')}${problems.length > 10 ? '; …' : ''}`,
    problems.map((p) => ({ ...p })),
  );
}
