import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { CaseStatus, ProgramId } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { MAX_PAGE_LIMIT } from '@cbec/platform';
import { ReadModels } from '../../read-models';
import type { CaseRow } from '../cases.projection';
import { caseVisibilitySql } from '../case-visibility';
import { awardOf } from '../get-case/get-case.query';
import { jsonArrayHasSql, type SqlReader } from '../../runner/read-model-engine';
import { beneficiaryNamesOf } from '../../beneficiary-names/beneficiary-names.projection';

export interface CaseFilter {
  status?: CaseStatus;
  program?: ProgramId;
  year?: number;
  uscc?: string;
  /** Cases whose lead or cooperating units include this unit. */
  unit?: string;
  limit?: number;
  offset?: number;
}

export interface CaseSummary {
  applicationId: string;
  program: string;
  year: number;
  uscc: string;
  beneficiaryName: string | null;
  status: string;
  leadUnit: string;
  round: number;
  /** Units whose opinion the current round still awaits. */
  pendingUnits: string[];
  awardCny: string | null;
  /** 免申即享: opened by COM on the customs statistics alone. */
  proactive: boolean;
  submittedAt: string;
  updatedAt: string;
  version: number;
}

export interface CaseList {
  items: CaseSummary[];
  /** Matching cases the caller may read, before paging. */
  total: number;
  limit: number;
  offset: number;
}

export class ListCases extends Query<CaseList> {
  constructor(
    readonly filter: CaseFilter,
    readonly actor: Actor,
  ) {
    super();
  }
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = MAX_PAGE_LIMIT;

/** The cases the caller may read, newest submission first. */
export async function listCases(db: SqlReader, actor: Actor, filter: CaseFilter): Promise<CaseList> {
  const visible = caseVisibilitySql(actor, db.dialect);
  const where = [visible.where];
  const params: unknown[] = [...visible.params];
  const add = (sql: string, ...values: unknown[]): void => {
    where.push(sql);
    params.push(...values);
  };
  if (filter.status !== undefined) add('cases.status = ?', filter.status);
  if (filter.program !== undefined) add('cases.program = ?', filter.program);
  if (filter.year !== undefined) add('cases.year = ?', filter.year);
  if (filter.uscc !== undefined) add('cases.uscc = ?', filter.uscc);
  if (filter.unit !== undefined) {
    add(`(cases.lead_unit = ? OR ${jsonArrayHasSql(db.dialect, 'cases.cooperating_units')})`, filter.unit, filter.unit);
  }
  const limit = Math.min(filter.limit ?? DEFAULT_PAGE, MAX_PAGE);
  const offset = filter.offset ?? 0;
  const condition = where.join(' AND ');
  const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cases WHERE ${condition}`, ...params))!.n;
  const rows = await db.exact<CaseRow>(
    ['award_cny'],
    `SELECT cases.* FROM cases WHERE ${condition}
       ORDER BY submitted_at DESC, application_id DESC
       LIMIT ? OFFSET ?`,
    ...params,
    limit,
    offset,
  );
  // The pending reviews of the page's cases in their current round, in one read.
  const pending = new Map<string, string[]>(rows.map((r) => [r.application_id, []]));
  if (rows.length) {
    const reviews = await db.all<{ application_id: string; unit: string }>(
      `SELECT r.application_id, r.unit FROM case_reviews r JOIN cases ON cases.application_id = r.application_id AND cases.round = r.round
       WHERE r.status = 'pending' AND r.application_id IN (${rows.map(() => '?').join(', ')})
       ORDER BY r.unit`,
      ...rows.map((r) => r.application_id),
    );
    for (const review of reviews) pending.get(review.application_id)!.push(review.unit);
  }
  const names = await beneficiaryNamesOf(db, rows);
  return {
    items: rows.map((r, i) => ({
      applicationId: r.application_id,
      program: r.program,
      year: r.year,
      uscc: r.uscc,
      beneficiaryName: names[i],
      status: r.status,
      leadUnit: r.lead_unit,
      round: r.round,
      pendingUnits: pending.get(r.application_id)!,
      awardCny: awardOf(r),
      proactive: r.proactive !== null,
      submittedAt: r.submitted_at,
      updatedAt: r.updated_at,
      version: r.version,
    })),
    total,
    limit,
    offset,
  };
}

@QueryHandler(ListCases)
export class ListCasesHandler implements IQueryHandler<ListCases, CaseList> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ filter, actor }: ListCases): Promise<CaseList> {
    return listCases(this.readModels.reader, actor, filter);
  }
}
