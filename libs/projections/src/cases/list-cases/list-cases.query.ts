import type Database from 'better-sqlite3';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { CaseStatus, ProgramId } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { MAX_PAGE_LIMIT } from '@cbec/platform';
import { ReadModels } from '../../read-models';
import type { CaseRow } from '../cases.projection';
import { caseVisibilitySql } from '../case-visibility';
import { awardOf } from '../get-case/get-case.query';
import { exactRow, exactStatement } from '../../runner/money-columns';
import { statement } from '../../runner/read-model-db';
import { beneficiaryNameOf } from '../../beneficiary-names/beneficiary-names.projection';

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
export function listCases(db: Database.Database, actor: Actor, filter: CaseFilter): CaseList {
  const visible = caseVisibilitySql(actor);
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
    add('(cases.lead_unit = ? OR EXISTS (SELECT 1 FROM json_each(cases.cooperating_units) WHERE json_each.value = ?))', filter.unit, filter.unit);
  }
  const limit = Math.min(filter.limit ?? DEFAULT_PAGE, MAX_PAGE);
  const offset = filter.offset ?? 0;
  const condition = where.join(' AND ');
  const total = (statement(db, `SELECT COUNT(*) AS n FROM cases WHERE ${condition}`).get(...params) as { n: number }).n;
  const rows = exactStatement(
    db,
    `SELECT cases.*,
         (SELECT json_group_array(unit) FROM (SELECT unit FROM case_reviews r
            WHERE r.application_id = cases.application_id AND r.round = cases.round AND r.status = 'pending'
            ORDER BY unit)) AS pending_units
       FROM cases WHERE ${condition}
       ORDER BY submitted_at DESC, application_id DESC
       LIMIT ? OFFSET ?`,
  )
    .all(...params, limit, offset)
    .map((r) => exactRow<CaseRow & { pending_units: string }>(r, ['award_cny']));
  return {
    items: rows.map((r) => ({
      applicationId: r.application_id,
      program: r.program,
      year: r.year,
      uscc: r.uscc,
      beneficiaryName: beneficiaryNameOf(db, r.uscc, r.beneficiary_name),
      status: r.status,
      leadUnit: r.lead_unit,
      round: r.round,
      pendingUnits: JSON.parse(r.pending_units) as string[],
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
    return listCases(this.readModels.db, actor, filter);
  }
}
