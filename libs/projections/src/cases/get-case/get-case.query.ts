import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Money, type CaseApproval, type Locale } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { AggregateStore, NotFound } from '@cbec/platform';
import { CustomsFiguresReader } from '@cbec/workflow';
import { cny } from '../../runner/money-columns';
import type { SqlReader } from '../../runner/read-model-engine';
import { ReadModels } from '../../read-models';
import { APPLICANT_UNIT, PAYING_UNIT } from '../../inbox/inbox.projection';
import type { CaseReviewRow, CaseRow } from '../cases.projection';
import { mayReadCase, unreadableCase } from '../case-visibility';
import { AwardPreview, PREVIEW_STATUSES, previewAward } from './award-preview';
import { CaseDisplay, renderCaseDetail } from './case-display';
import { beneficiaryNameOf } from '../../beneficiary-names/beneficiary-names.projection';

export interface PendingReviewView {
  unit: string;
  round: number;
  dueDate: string;
  overdue: boolean;
  overdueAsOf: string | null;
}

export interface OpinionView {
  round: number;
  unit: string;
  verdict: 'approve' | 'reject';
  comment: string;
  author: string;
  recordedAt: string;
}

export interface OverdueReviewView {
  round: number;
  unit: string;
  dueDate: string;
  asOfDate: string;
  /** The opinion came in after all (late), or the round closed without it. */
  outcome: 'pending' | 'approve' | 'reject' | 'withdrawn';
}

/** The decided award as the case detail shows it (`computedCny` before caps, `approvableCny` after). */
export type AwardView = CaseApproval & { approvedAt: string };

export interface CaseDetail {
  applicationId: string;
  program: string;
  year: number;
  status: string;
  beneficiary: { uscc: string; kind: string; name: string | null; manufacturing: boolean | null };
  leadUnit: string;
  cooperatingUnits: string[];
  /** Countersign round (会签): 0 until accepted. */
  round: number;
  /** Who must act next, on what, and by when (reviews); empty once the case is closed. */
  awaiting: AwaitingView[];
  /** Cooperating units whose opinion the current round still awaits, with due dates. */
  pendingUnits: PendingReviewView[];
  opinions: OpinionView[];
  overdueReviews: OverdueReviewView[];
  /** `calendar-missing:<year>`: the current round's due dates were counted Monday–Friday in a year without calendar. */
  calendarNotes: string[];
  claims: unknown;
  policyVersion: string;
  submittedAt: string;
  submittedBy: string;
  updatedAt: string;
  returnReason: string | null;
  objection: { round: number; unit: string; at: string } | null;
  rejection: { reason: string; fromStatus: string; rejectedBy: string; at: string } | null;
  /** The award as approved: amount, what the policy engine computed, the cap applied and the trace. */
  award: AwardView | null;
  /**
   * Before the decision: what approving now would compute (policy engine on the customs figures in force
   * and the ledger), with its trace; null once decided or when not asked for.
   */
  awardPreview: AwardPreview | null;
  /**
   * The award another case of the same enterprise, program and year already holds (approved before this
   * one's, if this one is approved too): this case asks for a second award. null when there is none.
   */
  earlierAward: EarlierAwardView | null;
  disbursement: { paymentRef: string; amountCny: string; commitmentId: string; disbursedBy: string; disbursedAt: string } | null;
  /** What followed the decision, in order: objections (异议), upholding, withdrawal, revocation (骗取), recovery orders and repayments. */
  sequels: SequelView[];
  /** Recovery orders (追回) with what was returned and what is still owed. */
  recoveries: RecoveryView[];
  /** 补发: the supplementary awards a recheck opened, folded from the sequels. */
  supplements: SupplementView[];
  /** 免申即享: opened by COM on the customs statistics alone (the computation), and the enterprise's confirmation; null otherwise. */
  proactive: ProactiveView | null;
  /** The case stream's version: send it as `If-Match` on the next command. */
  version: number;
  /** Global position of the case's last event. */
  position: number;
  /** The same for people, in the request's language (docs/chinese.md); set by the query, not the read model. */
  display?: CaseDisplay;
}

export interface ProactiveView {
  openedBy: string;
  openedAt: string;
  declarationsPending: string[];
  computation: { computedCny: string; amountCny: string | null; trace: unknown[]; customsEventIds: string[] };
  confirmedBy: string | null;
  confirmedAt: string | null;
}

export interface SupplementView {
  supplementId: string;
  differenceCny: string;
  countersignSkipped: boolean;
  /** Cooperating units whose opinion is awaited, with the due date. */
  pending: Array<{ unit: string; dueDate: string }>;
  opinions: Array<{ unit: string; verdict: string; comment: string; author: string }>;
  objectedBy: string | null;
  /** The head's decision on an objection: approved over it, or refused (closed, nothing reserved). */
  objectionDecision: { decision: 'approve' | 'refuse'; reason: string; decidedBy: string } | null;
  approved: { amountCny: string; totalCny: string; approvedBy: string; commitmentId: string } | null;
  paid: { paymentRef: string; disbursedBy: string } | null;
}

/** The supplementary awards (补发) of a case, folded from its sequels as the case aggregate folds its events. */
function supplementsOf(sequels: readonly SequelView[]): SupplementView[] {
  const out: SupplementView[] = [];
  for (const q of sequels) {
    const s = out.find((x) => x.supplementId === q.supplementId);
    if (q.type === 'SupplementaryAwardOpened') {
      const reviews = q.reviews as Array<{ unit: string; dueDate: string }>;
      out.push({
        supplementId: q.supplementId as string,
        differenceCny: q.differenceCny as string,
        countersignSkipped: q.countersignSkipped as boolean,
        pending: reviews,
        opinions: [],
        objectedBy: null,
        objectionDecision: null,
        approved: null,
        paid: null,
      });
    } else if (s && q.type === 'SupplementOpinionRecorded') {
      const opinion = { unit: q.unit as string, verdict: q.verdict as string, comment: q.comment as string, author: q.author as string };
      s.pending = s.pending.filter((p) => p.unit !== opinion.unit);
      s.opinions.push(opinion);
      if (opinion.verdict === 'reject') s.objectedBy ??= opinion.unit;
    } else if (s && q.type === 'SupplementObjectionOverruled') {
      s.objectionDecision = { decision: 'approve', reason: q.reason as string, decidedBy: q.decidedBy as string };
    } else if (s && q.type === 'SupplementaryAwardRefused') {
      s.objectionDecision = { decision: 'refuse', reason: q.reason as string, decidedBy: q.refusedBy as string };
    } else if (s && q.type === 'SupplementaryAwardApproved') {
      s.approved = {
        amountCny: q.amountCny as string,
        totalCny: q.totalCny as string,
        approvedBy: q.approvedBy as string,
        commitmentId: q.commitmentId as string,
      };
    } else if (s && q.type === 'SupplementDisbursed') {
      s.paid = { paymentRef: q.paymentRef as string, disbursedBy: q.disbursedBy as string };
    }
  }
  return out;
}

/** What the supplementary awards await: the countersign, the head's decision, the payment. */
function supplementSteps(supplements: readonly SupplementView[], leadUnit: string): AwaitingView[] {
  return supplements.flatMap((s): AwaitingView[] => {
    if (s.objectionDecision?.decision === 'refuse') return [];
    // An objection stops the countersign: the head decides (over it, or refusing it).
    if (s.objectedBy && !s.approved) return s.objectionDecision ? [] : [{ unit: leadUnit, step: 'supplement decision' satisfies AwaitedStep, dueDate: null }];
    if (s.pending.length && !s.approved) return s.pending.map((p) => ({ unit: p.unit, step: 'supplement opinion' satisfies AwaitedStep, dueDate: p.dueDate }));
    if (!s.approved) return [{ unit: leadUnit, step: 'supplement decision' satisfies AwaitedStep, dueDate: null }];
    if (!s.paid) return [{ unit: PAYING_UNIT, step: 'supplement disbursement' satisfies AwaitedStep, dueDate: null }];
    return [];
  });
}

export interface SequelView {
  type: string;
  at: string;
  [field: string]: unknown;
}

export interface RecoveryView {
  recoveryId: string;
  cause: string;
  amountCny: string;
  dueDate: string;
  repaidCny: string;
  outstandingCny: string;
  settled: boolean;
  repayments: Array<{ repaymentRef: string; amountCny: string; recordedBy: string; at: string }>;
}

/** The recovery orders of a case, folded from its sequels (RecoveryOrdered, RepaymentRecorded, RecoverySettled). */
function recoveriesOf(sequels: readonly SequelView[]): RecoveryView[] {
  const orders = new Map<string, RecoveryView>();
  for (const s of sequels) {
    const id = s.recoveryId as string;
    if (s.type === 'RecoveryOrdered') {
      orders.set(id, {
        recoveryId: id,
        cause: s.cause as string,
        amountCny: s.amountCny as string,
        dueDate: s.dueDate as string,
        repaidCny: '0.00',
        outstandingCny: s.amountCny as string,
        settled: false,
        repayments: [],
      });
    }
    const order = orders.get(id);
    if (!order) continue;
    if (s.type === 'RepaymentRecorded') {
      order.repayments.push({ repaymentRef: s.repaymentRef as string, amountCny: s.amountCny as string, recordedBy: s.recordedBy as string, at: s.at });
      order.outstandingCny = s.outstandingCny as string;
      order.repaidCny = Money.cny(order.amountCny).sub(Money.cny(order.outstandingCny)).toString();
    }
    if (s.type === 'RecoverySettled') order.settled = true;
  }
  return [...orders.values()];
}

export interface EarlierAwardView {
  applicationId: string;
  amountCny: string;
  approvedAt: string;
}

export interface AwaitingView {
  unit: string;
  step: string;
  dueDate: string | null;
}

export class GetCase extends Query<CaseDetail> {
  constructor(
    readonly applicationId: string,
    readonly actor: Actor,
    /** The language traces and `display` are rendered in (Accept-Language; zh-CN by default). */
    readonly locale: Locale = 'zh-CN',
  ) {
    super();
  }
}

/** The steps a case awaits (`awaiting[].step`), labelled for people by the catalogue (docs/chinese.md). */
export const AWAITED_STEPS = [
  'acceptance or return',
  'resubmission',
  'review opinion',
  'rejection or return',
  'approval or rejection',
  'disbursement',
  'objection decision',
  'repayment',
  'recheck',
  'declarations',
  'supplement opinion',
  'supplement decision',
  'supplement disbursement',
] as const;
type AwaitedStep = (typeof AWAITED_STEPS)[number];

/** Who acts next in each status (docs/api.md's table); under review, each pending review instead. */
const NEXT_STEP: Record<string, (row: CaseRow) => (Omit<AwaitingView, 'dueDate'> & { step: AwaitedStep }) | null> = {
  submitted: (r) => ({ unit: r.lead_unit, step: 'acceptance or return' }),
  returned: () => ({ unit: APPLICANT_UNIT, step: 'resubmission' }),
  'under-review': () => null,
  objected: (r) => ({ unit: r.lead_unit, step: 'rejection or return' }),
  'ready-for-decision': (r) => ({ unit: r.lead_unit, step: 'approval or rejection' }),
  approved: () => ({ unit: PAYING_UNIT, step: 'disbursement' }),
  rejected: () => null,
  disbursed: () => null,
  'publicity-objected': (r) => ({ unit: r.lead_unit, step: 'objection decision' }),
  withdrawn: () => null,
  revoked: () => null,
};

export async function readCaseRow(db: SqlReader, applicationId: string): Promise<CaseRow | undefined> {
  const [row] = await db.exact<CaseRow>(['award_cny'], `SELECT * FROM cases WHERE application_id = ?`, applicationId);
  return row;
}

export async function caseDetailOf(db: SqlReader, row: CaseRow): Promise<CaseDetail> {
  const reviews = await db.all<CaseReviewRow>(`SELECT * FROM case_reviews WHERE application_id = ? ORDER BY round, unit`, row.application_id);
  const pending = reviews.filter((r) => r.status === 'pending' && r.round === row.round);
  const earlierAward = await earlierAwardOf(db, row);
  const sequels = (
    await db.all<{
      type: string;
      data: string;
      recorded_at: string;
    }>(`SELECT type, data, recorded_at FROM case_sequels WHERE application_id = ? ORDER BY position`, row.application_id)
  ).map((r) => ({ type: r.type, at: r.recorded_at, ...(JSON.parse(r.data) as Record<string, unknown>) }));
  const recoveries = recoveriesOf(sequels);
  const supplements = supplementsOf(sequels);
  return {
    applicationId: row.application_id,
    program: row.program,
    year: row.year,
    status: row.status,
    beneficiary: {
      uscc: row.uscc,
      kind: row.beneficiary_kind,
      name: row.beneficiary_name,
      manufacturing: row.manufacturing === null ? null : row.manufacturing === 1,
    },
    leadUnit: row.lead_unit,
    cooperatingUnits: JSON.parse(row.cooperating_units) as string[],
    round: row.round,
    awaiting: (() => {
      const proactive = row.proactive ? (JSON.parse(row.proactive) as ProactiveView) : null;
      if (row.status === 'submitted' && proactive && proactive.confirmedBy === null)
        return [{ unit: APPLICANT_UNIT, step: 'declarations' satisfies AwaitedStep, dueDate: null }];
      if (row.status === 'under-review') return pending.map((r) => ({ unit: r.unit, step: 'review opinion' satisfies AwaitedStep, dueDate: r.due_date }));
      const flags = sequels.filter((q) => q.type === 'RecheckRequired').length;
      if (flags > sequels.filter((q) => q.type === 'RecheckRecorded').length)
        return [{ unit: row.lead_unit, step: 'recheck' satisfies AwaitedStep, dueDate: null }];
      const owed = recoveries.filter((r) => !r.settled);
      if (owed.length) return owed.map((r) => ({ unit: PAYING_UNIT, step: 'repayment' satisfies AwaitedStep, dueDate: r.dueDate }));
      const next = NEXT_STEP[row.status]?.(row);
      return [...supplementSteps(supplements, row.lead_unit), ...(next ? [{ ...next, dueDate: null }] : [])];
    })(),
    pendingUnits: pending
      .sort((a, b) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.unit < b.unit ? -1 : 1))
      .map((r) => ({
        unit: r.unit,
        round: r.round,
        dueDate: r.due_date,
        overdue: r.overdue_as_of !== null,
        overdueAsOf: r.overdue_as_of,
      })),
    opinions: reviews
      .filter((r) => r.status === 'approve' || r.status === 'reject')
      .sort((a, b) => (a.recorded_at! < b.recorded_at! ? -1 : a.recorded_at! > b.recorded_at! ? 1 : 0))
      .map((r) => ({
        round: r.round,
        unit: r.unit,
        verdict: r.status as 'approve' | 'reject',
        comment: r.comment ?? '',
        author: r.author ?? '',
        recordedAt: r.recorded_at ?? '',
      })),
    overdueReviews: reviews
      .filter((r) => r.overdue_as_of !== null)
      .map((r) => ({ round: r.round, unit: r.unit, dueDate: r.due_date, asOfDate: r.overdue_as_of!, outcome: r.status })),
    calendarNotes: JSON.parse(row.calendar_notes) as string[],
    claims: JSON.parse(row.claims) as unknown,
    policyVersion: row.policy_version,
    submittedAt: row.submitted_at,
    submittedBy: row.submitted_by,
    updatedAt: row.updated_at,
    returnReason: row.return_reason,
    objection: row.objection ? (JSON.parse(row.objection) as CaseDetail['objection']) : null,
    rejection: row.rejection ? (JSON.parse(row.rejection) as CaseDetail['rejection']) : null,
    award: row.approval ? (JSON.parse(row.approval) as AwardView) : null,
    awardPreview: null,
    earlierAward,
    disbursement: row.disbursement ? (JSON.parse(row.disbursement) as CaseDetail['disbursement']) : null,
    sequels,
    recoveries,
    supplements,
    proactive: row.proactive ? (JSON.parse(row.proactive) as ProactiveView) : null,
    version: row.version,
    position: row.position,
  };
}

/** The earliest award on another case of the same enterprise, program and year (cases_by_uscc finds them). */
async function earlierAwardOf(db: SqlReader, row: CaseRow): Promise<EarlierAwardView | null> {
  const own = row.approval ? (JSON.parse(row.approval) as AwardView).approvedAt : null;
  const awards = (
    await db.all<{ application_id: string; approval: string }>(
      `SELECT application_id, approval FROM cases
       WHERE uscc = ? AND year = ? AND program = ? AND application_id <> ? AND approval IS NOT NULL`,
      row.uscc,
      row.year,
      row.program,
      row.application_id,
    )
  )
    .map((r) => ({ applicationId: r.application_id, award: JSON.parse(r.approval) as AwardView }))
    .filter((a) => own === null || a.award.approvedAt < own)
    .sort((a, b) => (a.award.approvedAt < b.award.approvedAt ? -1 : a.award.approvedAt > b.award.approvedAt ? 1 : 0));
  const first = awards[0];
  return first ? { applicationId: first.applicationId, amountCny: first.award.amountCny, approvedAt: first.award.approvedAt } : null;
}

/** The award amount column, for lists. */
export function awardOf(row: Pick<CaseRow, 'award_cny'>): string | null {
  return row.award_cny === null ? null : cny(row.award_cny);
}

@QueryHandler(GetCase)
export class GetCaseHandler implements IQueryHandler<GetCase, CaseDetail> {
  constructor(
    private readonly readModels: ReadModels,
    private readonly aggregates: AggregateStore,
    private readonly customs: CustomsFiguresReader,
  ) {}

  async execute({ applicationId, actor, locale }: GetCase): Promise<CaseDetail> {
    const row = await readCaseRow(this.readModels.reader, applicationId);
    if (!row) throw new NotFound(`no application "${applicationId}"`);
    if (!mayReadCase(actor, row)) throw unreadableCase(actor, applicationId);
    const detail = await caseDetailOf(this.readModels.reader, row);
    if (PREVIEW_STATUSES.has(row.status)) detail.awardPreview = await previewAward(this.aggregates, this.customs, row);
    detail.beneficiary.name = await beneficiaryNameOf(this.readModels.reader, row.uscc, row.beneficiary_name);
    return renderCaseDetail(detail, locale);
  }
}
