import { createHash } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { customsDecider, customsStreamId, InvalidCustomsRows } from '@cbec/domain';
import { assertCanAct } from '../auth/authorization';
import { AggregateStore, deterministicId } from '../shared/aggregate-store';
import { Unprocessable } from '../shared/errors';
import { ImportCustomsStatsCommand } from './import-customs-stats.command';
import { ParsedCustomsRow, parseCustomsCsv } from './customs-csv';

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
 * stream. The same file twice stores nothing new (its batch id, from the content, is already in the
 * stream; identical figures decide nothing either); different figures
 * for a (year, USCC) already imported are a revision (both kept, the newer in force).
 */
@CommandHandler(ImportCustomsStatsCommand)
export class ImportCustomsStatsHandler implements ICommandHandler<ImportCustomsStatsCommand, ImportCustomsStatsAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ csv, ctx }: ImportCustomsStatsCommand): Promise<ImportCustomsStatsAnswer> {
    assertCanAct(ctx.actor, 'import-customs-stats');
    const { rows, problems } = parseCustomsCsv(csv);
    if (problems.length > 0) {
      const lines = new Set(problems.map((p) => p.line)).size;
      throw new Unprocessable(
        'invalid-customs-rows',
        `${lines} bad row(s) in the customs file; nothing was imported: ${problems
          .slice(0, 10)
          .map((p) => `line ${p.line} ${p.field}: ${p.reason}`)
          .join('; ')}${problems.length > 10 ? '; …' : ''}`,
        problems.map((p) => ({ ...p })),
      );
    }
    const batchId = deterministicId('customs-batch', createHash('sha256').update(csv).digest('hex'));
    const byYear = new Map<number, ParsedCustomsRow[]>();
    for (const row of rows) byYear.set(row.year, [...(byYear.get(row.year) ?? []), row]);

    const answer: ImportCustomsStatsAnswer = { batchId, rows: rows.length, imported: 0, revised: 0, unchanged: 0, streams: [], version: -1, position: 0 };
    for (const [year, yearRows] of [...byYear.entries()].sort(([a], [b]) => a - b)) {
      const streamId = customsStreamId(year);
      let result;
      try {
        result = await this.aggregates.execute(
          streamId,
          customsDecider,
          { type: 'ImportCustomsStats', data: { year, batchId, rows: yearRows.map(({ line: _line, ...row }) => row) } },
          { ...ctx, commandId: deterministicId(ctx.commandId, 'customs-year', String(year)) },
        );
      } catch (error) {
        if (!(error instanceof InvalidCustomsRows)) throw error;
        const listed = error.problems.map((p) => ({ line: yearRows[p.row]?.line ?? null, field: p.field, reason: p.detail }));
        throw new Unprocessable('invalid-customs-rows', error.message, listed);
      }
      const imported = result.events.filter((e) => e.type === 'CustomsStatisticsImported').length;
      const revised = result.events.filter((e) => e.type === 'CustomsStatisticsRevised').length;
      answer.imported += imported;
      answer.revised += revised;
      answer.streams.push({ streamId, year, version: result.version, position: result.position });
      answer.version = result.version;
      answer.position = Math.max(answer.position, result.position);
    }
    answer.unchanged = answer.rows - answer.imported - answer.revised;
    return answer;
  }
}
