import type Database from 'better-sqlite3';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@cbec/event-store';
import { Forbidden, isAuditor, isCountyUnit, isDepartment } from '@cbec/platform';
import { cny, exactRow, exactStatement } from '../../runner/money-columns';
import { ReadModels } from '../../read-models';
import type { FundYearRow } from '../fund-status.projection';

export interface FundStatus {
  year: number;
  appropriationCny: string;
  /** Commitments not released, paid ones included. */
  committedCny: string;
  disbursedCny: string;
  /** appropriation - committed: what new approvals may still commit. */
  availableCny: string;
  /** committed - disbursed: approved but not yet paid. */
  outstandingCny: string;
  /** Money returned on paid awards (追回): committed and disbursed already fell by it. */
  recoveredCny: string;
  allocations: number;
  commitments: { committed: number; paid: number; released: number };
}

export class GetFundStatus extends Query<FundStatus> {
  constructor(
    readonly year: number,
    readonly actor: Actor,
  ) {
    super();
  }
}

/** A year with no appropriation yet answers zeros: the fund exists in law before money is allocated. */
export function readFundStatus(db: Database.Database, year: number): FundStatus {
  const found = exactStatement(db, `SELECT * FROM fund_years WHERE year = ?`).get(year);
  const fund = found === undefined ? undefined : exactRow<FundYearRow>(found, ['appropriation_fen']);
  // SQLite sums INTEGERs exactly (an overflow of 64 bits is an error, never a rounded figure).
  const rows = exactStatement(db, `SELECT status, COUNT(*) AS n, SUM(amount_fen) AS amount FROM fund_commitments WHERE year = ? GROUP BY status`)
    .all(year)
    .map((r) => exactRow<{ status: string; n: number; amount: bigint }>(r, ['amount']));
  const by = (status: string) => rows.find((r) => r.status === status) ?? { n: 0, amount: 0n };
  const appropriation = fund?.appropriation_fen ?? 0n;
  const committed = by('committed').amount + by('paid').amount;
  const recovered = exactRow<{ r: bigint }>(exactStatement(db, `SELECT COALESCE(SUM(recovered_fen), 0) AS r FROM fund_commitments WHERE year = ?`).get(year)!, [
    'r',
  ]).r;
  const disbursed = by('paid').amount;
  return {
    year,
    appropriationCny: cny(appropriation),
    committedCny: cny(committed),
    disbursedCny: cny(disbursed),
    // Never negative on a sound log (the fund stream guards it); clamp so a report never shows "-".
    availableCny: cny(appropriation > committed ? appropriation - committed : 0n),
    outstandingCny: cny(committed - disbursed),
    recoveredCny: cny(recovered),
    allocations: fund?.allocations ?? 0,
    commitments: { committed: by('committed').n, paid: by('paid').n, released: by('released').n },
  };
}

@QueryHandler(GetFundStatus)
export class GetFundStatusHandler implements IQueryHandler<GetFundStatus, FundStatus> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ year, actor }: GetFundStatus): Promise<FundStatus> {
    if (!isDepartment(actor) && !isAuditor(actor)) {
      throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not read the fund: departments and AUDIT only`);
    }
    // The special fund is the city's (docs/policy.md 五（二）): a county unit sees its own county's cases and totals, not the fund.
    if (isCountyUnit(actor))
      throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not read the city's fund: a county unit reads its own county's cases and totals`);
    return readFundStatus(this.readModels.db, year);
  }
}
