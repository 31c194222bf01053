import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@cbec/event-store';
import { Forbidden, isAuditor, isCountyUnit, isDepartment } from '@cbec/platform';
import { cny } from '../../runner/money-columns';
import type { SqlReader } from '../../runner/read-model-engine';
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
export async function readFundStatus(db: SqlReader, year: number): Promise<FundStatus> {
  const [fund] = await db.exact<FundYearRow>(['appropriation_fen'], `SELECT * FROM fund_years WHERE year = ?`, year);
  // Both engines sum BIGINTs exactly (SQLite: an overflow of 64 bits is an error; PostgreSQL: a NUMERIC), never a rounded figure.
  const rows = await db.exact<{ status: string; n: number; amount: bigint }>(
    ['amount'],
    `SELECT status, COUNT(*) AS n, SUM(amount_fen) AS amount FROM fund_commitments WHERE year = ? GROUP BY status`,
    year,
  );
  const by = (status: string) => rows.find((r) => r.status === status) ?? { n: 0, amount: 0n };
  const appropriation = fund?.appropriation_fen ?? 0n;
  const committed = by('committed').amount + by('paid').amount;
  const [{ r: recovered }] = await db.exact<{ r: bigint }>(['r'], `SELECT COALESCE(SUM(recovered_fen), 0) AS r FROM fund_commitments WHERE year = ?`, year);
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
    return readFundStatus(this.readModels.reader, year);
  }
}
