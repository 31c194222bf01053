import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { label, toCsv } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { Forbidden, isAuditor, isDepartment } from '@cbec/platform';
import { caseVisibilitySql } from '../../cases/case-visibility';
import { ReadModels } from '../../read-models';
import { cny } from '../../runner/money-columns';
import type { SqlReader } from '../../runner/read-model-engine';

export interface AwardStatisticsFilter {
  program?: string;
  year?: number;
}

/** One group of approved awards: a program, a year and the county (division) of the enterprises' registration. */
export interface AwardStatisticsRow {
  year: number;
  program: string;
  /** The administrative-division code of the enterprises' USCC (characters 3–8). */
  division: string;
  county: string;
  awards: number;
  approvedCny: string;
  disbursedCny: string;
}

export interface AwardStatistics {
  rows: AwardStatisticsRow[];
}

export class GetAwardStatistics extends Query<AwardStatistics> {
  constructor(
    readonly actor: Actor,
    readonly filter: AwardStatisticsFilter,
  ) {
    super();
  }
}

/**
 * 统计: approved awards (approved or paid) by program, county and year, over the cases the caller may read
 * (a county unit: its own county's; docs/api.md "Who may do what"). Bounded by the domain: six programs, the
 * years asked and Lu'an's divisions, whatever the number of cases.
 */
export async function awardStatistics(db: SqlReader, actor: Actor, filter: AwardStatisticsFilter): Promise<AwardStatistics> {
  if (!isDepartment(actor) && !isAuditor(actor))
    throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not read statistics: departments and AUDIT only`);
  const visible = caseVisibilitySql(actor, db.dialect);
  const where = [visible.where, "cases.status IN ('approved', 'disbursed')"];
  const params: unknown[] = [...visible.params];
  if (filter.program !== undefined) {
    where.push('cases.program = ?');
    params.push(filter.program);
  }
  if (filter.year !== undefined) {
    where.push('cases.year = ?');
    params.push(filter.year);
  }
  const rows = await db.exact<{ year: number; program: string; division: string; awards: number; approved: bigint; disbursed: bigint }>(
    ['approved', 'disbursed'],
    `SELECT cases.year AS year, cases.program AS program, substr(cases.uscc, 3, 6) AS division, COUNT(*) AS awards,
            SUM(cases.award_cny) AS approved, SUM(CASE WHEN cases.status = 'disbursed' THEN cases.award_cny ELSE 0 END) AS disbursed
       FROM cases WHERE ${where.join(' AND ')}
       GROUP BY cases.year, cases.program, division ORDER BY cases.year, cases.program, division`,
    ...params,
  );
  return {
    rows: rows.map((r) => ({
      year: r.year,
      program: r.program,
      division: r.division,
      county: label('division', r.division),
      awards: r.awards,
      approvedCny: cny(r.approved),
      disbursedCny: cny(r.disbursed),
    })),
  };
}

/** The same rows as CSV for a spreadsheet: Chinese headers and labels, UTF-8 with a BOM (Excel reads it as UTF-8). */
export function awardStatisticsCsv(statistics: AwardStatistics): string {
  const rows = statistics.rows.map((r) => ({
    年度: r.year,
    项目: `${r.program} ${label('program', r.program)}`,
    县区: r.county,
    区划代码: r.division,
    件数: r.awards,
    '批准金额（元）': r.approvedCny,
    '已拨付（元）': r.disbursedCny,
  }));
  return '\uFEFF' + toCsv(rows, ['年度', '项目', '县区', '区划代码', '件数', '批准金额（元）', '已拨付（元）']);
}

@QueryHandler(GetAwardStatistics)
export class GetAwardStatisticsHandler implements IQueryHandler<GetAwardStatistics, AwardStatistics> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ actor, filter }: GetAwardStatistics): Promise<AwardStatistics> {
    return awardStatistics(this.readModels.reader, actor, filter);
  }
}
