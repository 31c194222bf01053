import { Inject, Optional } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { articleOf, AwardRecord, getPolicy, ledgerTerms, limitByLedger, Money, Policy, PROGRAM_IDS, ProgramId, ReasonCode } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { canReadBeneficiary, Forbidden } from '@cbec/platform';
import { cny, sumFen } from '../../runner/money-columns';
import type { SqlReader } from '../../runner/read-model-engine';
import { ReadModels } from '../../read-models';
import type { AwardStatus, BeneficiaryAwardRow, ExternalAwardRow } from '../beneficiary-totals.projection';

export interface ProgramTotals {
  program: ProgramId;
  article: string;
  /** Confirmed awards of the year. */
  approvedCny: string;
  /** Held by approvals still in progress: they count against caps and one-time rules too. */
  reservedCny: string;
  countedCny: string;
  disbursedCny: string;
  /** The program's own annual cap, null when it has none (an article cap may still apply). */
  annualCapCny: string | null;
  /**
   * What a new award of this program could still be for this year under every cap, one-time rule and
   * period of the ledger; null when nothing limits it but the award rule itself.
   */
  remainingCny: string | null;
  /** Why nothing remains (already-awarded, period-over, cap-exhausted...), null otherwise. */
  blockedBy: ReasonCode | null;
}

export interface ArticleTotals {
  article: string;
  programs: ProgramId[];
  countedCny: string;
  annualCapCny: string | null;
  remainingCny: string | null;
}

export interface AwardLine {
  applicationId: string;
  reservationId: string;
  program: string;
  year: number;
  amountCny: string;
  status: AwardStatus;
  disbursedCny: string;
}

export interface BeneficiaryTotals {
  uscc: string;
  year: number;
  policyVersion: string;
  programs: ProgramTotals[];
  articles: ArticleTotals[];
  totalCountedCny: string;
  totalDisbursedCny: string;
  /** This year's awards (released reservations included, marked so). */
  awards: AwardLine[];
  /** Municipal foreign-trade awards recorded by COM for this year (四（一）: not combinable with P1). */
  externalAwards: Array<{ ref: string; amountCny: string | null; recordedBy: string; recordedAt: string }>;
}

export class GetBeneficiaryTotals extends Query<BeneficiaryTotals> {
  constructor(
    readonly uscc: string,
    readonly year: number,
    readonly actor: Actor,
  ) {
    super();
  }
}

const sum = (rows: readonly BeneficiaryAwardRow[], pick: (r: BeneficiaryAwardRow) => bigint): bigint => sumFen(rows, pick);
const AWARD_MONEY = ['amount_fen', 'computed_fen', 'disbursed_fen'] as const;

/** Totals per program and article for one beneficiary and year; caps read from `policy`. */
export async function readBeneficiaryTotals(db: SqlReader, policy: Policy, uscc: string, year: number): Promise<BeneficiaryTotals> {
  const all = await db.exact<BeneficiaryAwardRow>(AWARD_MONEY, `SELECT * FROM beneficiary_awards WHERE uscc = ? ORDER BY reserved_at, reservation_id`, uscc);
  const held = all.filter((r) => r.status !== 'released');
  const history: AwardRecord[] = held.map((r) => ({
    program: r.program as ProgramId,
    year: r.year,
    amountCny: Money.ofMinor(r.amount_fen, 'CNY'),
    ref: r.application_id,
  }));
  const ofYear = held.filter((r) => r.year === year);

  const programs = PROGRAM_IDS.map((program): ProgramTotals => {
    const rows = ofYear.filter((r) => r.program === program);
    const approved = sum(
      rows.filter((r) => r.status === 'confirmed'),
      (r) => r.amount_fen,
    );
    const reserved = sum(
      rows.filter((r) => r.status === 'reserved'),
      (r) => r.amount_fen,
    );
    const terms = ledgerTerms(policy, program);
    const { article, params } = articleOf(policy, program);
    const caps = [terms.annualCapCny, params.annualCapCny].filter((c): c is Money => c !== null);
    // Ask the ledger rule itself what it would still allow: the read side and the write side agree.
    const probe = caps.length ? caps.reduce((a, b) => (a.gt(b) ? a : b)) : Money.cny('1.00');
    const check = limitByLedger(policy, program, year, probe, history);
    return {
      program,
      article,
      approvedCny: cny(approved),
      reservedCny: cny(reserved),
      countedCny: cny(approved + reserved),
      disbursedCny: cny(sum(rows, (r) => r.disbursed_fen)),
      annualCapCny: terms.annualCapCny?.toString() ?? null,
      remainingCny: !check.ok ? '0.00' : caps.length ? check.amount.toString() : null,
      blockedBy: check.ok ? null : check.reason,
    };
  });

  const articles = Object.entries(policy.articles).map(([article, params]): ArticleTotals => {
    const counted = sum(
      ofYear.filter((r) => params.programs.includes(r.program as ProgramId)),
      (r) => r.amount_fen,
    );
    return {
      article,
      programs: [...params.programs],
      countedCny: cny(counted),
      annualCapCny: params.annualCapCny?.toString() ?? null,
      remainingCny: params.annualCapCny ? params.annualCapCny.subOrZero(Money.ofMinor(counted, 'CNY')).toString() : null,
    };
  });

  const external = await db.exact<ExternalAwardRow>(
    ['amount_fen'],
    `SELECT * FROM beneficiary_external_awards WHERE uscc = ? AND year = ? ORDER BY recorded_at, ref`,
    uscc,
    year,
  );

  return {
    uscc,
    year,
    policyVersion: policy.version,
    programs,
    articles,
    totalCountedCny: cny(sum(ofYear, (r) => r.amount_fen)),
    totalDisbursedCny: cny(sum(ofYear, (r) => r.disbursed_fen)),
    awards: all
      .filter((r) => r.year === year)
      .map((r) => ({
        applicationId: r.application_id,
        reservationId: r.reservation_id,
        program: r.program,
        year: r.year,
        amountCny: cny(r.amount_fen),
        status: r.status,
        disbursedCny: cny(r.disbursed_fen),
      })),
    externalAwards: external.map((e) => ({
      ref: e.ref,
      amountCny: e.amount_fen === null ? null : cny(e.amount_fen),
      recordedBy: e.recorded_by,
      recordedAt: e.recorded_at,
    })),
  };
}

@QueryHandler(GetBeneficiaryTotals)
export class GetBeneficiaryTotalsHandler implements IQueryHandler<GetBeneficiaryTotals, BeneficiaryTotals> {
  private readonly policy: Policy;

  constructor(
    private readonly readModels: ReadModels,
    @Optional() @Inject('POLICY') policy?: Policy,
  ) {
    this.policy = policy ?? getPolicy();
  }

  async execute({ uscc, year, actor }: GetBeneficiaryTotals): Promise<BeneficiaryTotals> {
    if (!canReadBeneficiary(actor, uscc)) {
      throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not read the totals of ${uscc}: an applicant reads only its own`);
    }
    return readBeneficiaryTotals(this.readModels.reader, this.policy, uscc, year);
  }
}
