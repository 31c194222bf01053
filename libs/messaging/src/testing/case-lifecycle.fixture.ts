import { createHash } from 'node:crypto';
import { usccCheckCharacter } from '@cbec/domain';
import type { EventStore, NewEvent } from '@cbec/event-store';

/**
 * Deterministic domain events of whole cases, in the shapes of libs/domain/src/{case,beneficiary,fund,
 * customs}/*.events.ts, for messaging tests and the relay benchmark: the same (seed, index) always gives
 * the same events with the same ids, so a restarted child process re-appends exactly what it appended
 * before (the store's idempotency by eventId makes that a no-op).
 */

export const COUNTIES = ['341502', '341503', '341504', '341522', '341523', '341524', '341525'] as const;
const PROGRAMS = ['P1', 'P2a', 'P2b', 'P3a', 'P4'] as const;

export function deterministicUuid(...parts: Array<string | number>): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function usccFor(county: string, n: number): string {
  const first17 = `91${county}${String(n).padStart(8, '0')}X`;
  return first17 + usccCheckCharacter(first17);
}

export interface StreamAppend {
  streamId: string;
  event: NewEvent;
}

export type CaseOutcome = 'disbursed' | 'approved-after-overdue' | 'rejected' | 'returned-then-disbursed';

export interface CaseSpec {
  seed: string;
  index: number;
  program: (typeof PROGRAMS)[number];
  year: number;
  uscc: string;
  county: string;
  amountCny: string;
  outcome: CaseOutcome;
}

export function caseSpec(seed: string, index: number): CaseSpec {
  const county = COUNTIES[index % COUNTIES.length];
  const outcomes: CaseOutcome[] = ['disbursed', 'approved-after-overdue', 'rejected', 'disbursed', 'returned-then-disbursed'];
  return {
    seed,
    index,
    program: PROGRAMS[index % PROGRAMS.length],
    year: 2019 + (index % 2),
    uscc: usccFor(county, index),
    county,
    amountCny: `${10_000 + (index % 17) * 1_000}.50`,
    outcome: outcomes[index % outcomes.length],
  };
}

/** The events one case causes, in order, with the stream each goes to. */
export function caseLifecycle(spec: CaseSpec, at: (step: number) => string = defaultClock(spec)): StreamAppend[] {
  const applicationId = deterministicUuid(spec.seed, 'case', spec.index);
  const caseStream = `application-${applicationId}`;
  const correlationId = deterministicUuid(spec.seed, 'corr', spec.index);
  let step = 0;
  const out: StreamAppend[] = [];
  const push = (streamId: string, type: string, data: object, unit = 'COM', user = 'officer-1'): void => {
    const n = step++;
    out.push({
      streamId,
      event: {
        eventId: deterministicUuid(spec.seed, spec.index, n, type),
        type,
        schemaVersion: 1,
        data,
        metadata: {
          correlationId,
          causationId: null,
          commandId: deterministicUuid(spec.seed, spec.index, n, 'cmd'),
          actor: { user, unit, role: 'officer' },
          occurredAt: at(n),
          policyVersion: 'LZB-2019-4',
        },
      },
    });
  };
  const reviewers = ['FIN', 'CUS', `CTY-${spec.county}`];
  const customsStream = `customs-${spec.year - 1}`;
  push(
    customsStream,
    'CustomsStatisticsImported',
    {
      year: spec.year - 1,
      uscc: spec.uscc,
      name: `六安市测试企业${spec.index}有限公司`,
      export9610Usd: '120000.00',
      cbecImportUsd: '0.00',
      cbecExportUsd: '450000.10',
      totalExportUsd: '900000.00',
      platformLocalOnlineTradeUsd: null,
      batchId: deterministicUuid(spec.seed, 'batch', spec.index),
      rowIndex: 0,
    },
    'CUS',
  );
  push(
    caseStream,
    'ApplicationSubmitted',
    {
      applicationId,
      program: spec.program,
      year: spec.year,
      beneficiary: { uscc: spec.uscc, kind: spec.program === 'P4' ? 'park' : 'enterprise', name: `六安市测试企业${spec.index}有限公司` },
      claims: { otherMunicipalTradeAward: false },
      leadUnit: 'COM',
      cooperatingUnits: reviewers,
      policyVersion: 'LZB-2019-4',
      submittedBy: `applicant-${spec.index}`,
    },
    'APPLICANT',
    `applicant-${spec.index}`,
  );
  const round = 1;
  if (spec.outcome === 'returned-then-disbursed') {
    push(caseStream, 'ApplicationReturned', { applicationId, reason: '材料不全: 缺少平台服务费发票', fromStatus: 'submitted', returnedBy: 'officer-1' });
    push(
      caseStream,
      'ApplicationResubmitted',
      { applicationId, claims: { otherMunicipalTradeAward: false }, resubmittedBy: `applicant-${spec.index}` },
      'APPLICANT',
    );
  }
  push(caseStream, 'CaseAccepted', {
    applicationId,
    round,
    reviews: reviewers.map((unit) => ({ unit, dueDate: `${spec.year}-07-15` })),
    acceptedBy: 'officer-1',
  });
  if (spec.outcome === 'approved-after-overdue') {
    push(caseStream, 'ReviewOverdue', { applicationId, round, unit: 'CUS', dueDate: `${spec.year}-07-15`, asOfDate: `${spec.year}-07-16` }, 'COM', 'system');
  }
  for (const unit of reviewers) {
    const verdict = spec.outcome === 'rejected' && unit === 'CUS' ? 'reject' : 'approve';
    push(
      caseStream,
      'ReviewOpinionRecorded',
      { applicationId, round, unit, verdict, comment: `${unit} 意见: 张三核实`, author: `${unit.toLowerCase()}-reviewer` },
      unit,
    );
    if (verdict === 'reject') {
      push(caseStream, 'ApplicationObjected', { applicationId, round, objectingUnit: unit, withdrawnReviews: reviewers.slice(reviewers.indexOf(unit) + 1) });
      push(caseStream, 'ApplicationRejected', { applicationId, reason: '海关数据不符', fromStatus: 'objected', rejectedBy: 'head-1' });
      return out;
    }
  }
  push(caseStream, 'ApplicationReadyForDecision', { applicationId, round });
  const reservationId = deterministicUuid(spec.seed, 'res', spec.index);
  const commitmentId = deterministicUuid(spec.seed, 'com', spec.index);
  const trace = [{ step: 'base', value: spec.amountCny, source: '四（一）' }];
  push(
    `beneficiary-${spec.uscc}`,
    'AwardReserved',
    {
      uscc: spec.uscc,
      reservationId,
      applicationId,
      program: spec.program,
      year: spec.year,
      requestedCny: spec.amountCny,
      amountCny: spec.amountCny,
      computedCny: spec.amountCny,
      capApplied: null,
      trace,
      policyVersion: 'LZB-2019-4',
    },
    'COM',
    'head-1',
  );
  push(`fund-${spec.year}`, 'FundsCommitted', { year: spec.year, commitmentId, applicationId, amountCny: spec.amountCny }, 'COM', 'head-1');
  push(
    `beneficiary-${spec.uscc}`,
    'ReservationConfirmed',
    { uscc: spec.uscc, reservationId, applicationId, program: spec.program, year: spec.year, amountCny: spec.amountCny },
    'COM',
    'head-1',
  );
  push(
    caseStream,
    'AwardApproved',
    {
      applicationId,
      program: spec.program,
      year: spec.year,
      uscc: spec.uscc,
      amountCny: spec.amountCny,
      computedCny: spec.amountCny,
      approvableCny: spec.amountCny,
      reasonIfLower: null,
      capApplied: null,
      trace,
      policyVersion: 'LZB-2019-4',
      customsEventIds: [out[0].event.eventId],
      reservationId,
      commitmentId,
      approvedBy: 'head-1',
    },
    'COM',
    'head-1',
  );
  if (spec.outcome === 'approved-after-overdue') return out;
  push(
    `fund-${spec.year}`,
    'FundPaymentRecorded',
    { year: spec.year, commitmentId, applicationId, amountCny: spec.amountCny, paymentRef: `BANK-REF-${spec.index}` },
    'FIN',
  );
  push(
    caseStream,
    'AwardDisbursed',
    { applicationId, paymentRef: `BANK-REF-${spec.index}`, amountCny: spec.amountCny, commitmentId, disbursedBy: 'fin-officer' },
    'FIN',
  );
  return out;
}

function defaultClock(spec: CaseSpec): (step: number) => string {
  const base = Date.UTC(spec.year, 5, 1) + spec.index * 60_000;
  return (step) => new Date(base + step * 1_000).toISOString();
}

/** The appropriation of a fund year, appended once per year a scenario touches. */
export function fundAllocation(seed: string, year: number, amountCny = '5000000.00'): StreamAppend {
  return {
    streamId: `fund-${year}`,
    event: {
      eventId: deterministicUuid(seed, 'fund', year),
      type: 'FundBudgetAllocated',
      schemaVersion: 1,
      data: { year, amountCny },
      metadata: {
        correlationId: deterministicUuid(seed, 'fund-corr', year),
        causationId: null,
        commandId: null,
        actor: { user: 'fin-head', unit: 'FIN', role: 'head' },
        occurredAt: new Date(Date.UTC(year, 0, 5)).toISOString(),
        policyVersion: 'LZB-2019-4',
      },
    },
  };
}

/** Appends one event at a time with `expectedVersion: 'any'` (re-appending the same id is a no-op). */
export async function appendAll(store: EventStore, appends: StreamAppend[]): Promise<number> {
  let last = 0;
  for (const a of appends) {
    last = (await store.append(a.streamId, [a.event], { expectedVersion: 'any' })).lastGlobalPosition;
  }
  return last;
}

/** Whole scenario: fund allocations for 2019 and 2020, then cases 0..count-1. */
export function scenario(seed: string, count: number, from = 0): StreamAppend[] {
  const out: StreamAppend[] = from === 0 ? [fundAllocation(seed, 2019), fundAllocation(seed, 2020)] : [];
  for (let i = from; i < count; i++) out.push(...caseLifecycle(caseSpec(seed, i)));
  return out;
}

/**
 * One paid case published with a 公示 (AwardApproved at schema version 2), then, on its own case stream: an
 * objection upheld, a revocation for fraud, its recovery order, two repayments (the fund following them)
 * and the settlement. Every after-decision type of the contract, on one case.
 */
export function caseWithSequels(seed: string, index: number): StreamAppend[] {
  const spec = { ...caseSpec(seed, index), outcome: 'disbursed' as const };
  const base = caseLifecycle(spec);
  const applicationId = deterministicUuid(spec.seed, 'case', spec.index);
  const commitmentId = deterministicUuid(spec.seed, 'com', spec.index);
  const out = base.map((a) =>
    a.event.type === 'AwardApproved'
      ? {
          ...a,
          event: {
            ...a.event,
            schemaVersion: 2,
            data: { ...(a.event.data as object), publicity: { from: `${spec.year}-06-01`, until: `${spec.year}-06-08`, workingDays: 5 } },
          },
        }
      : a,
  );
  const last = out[out.length - 1].event;
  const caseStream = `application-${applicationId}`;
  const half = (Number(spec.amountCny) / 2).toFixed(2);
  const rest = (Number(spec.amountCny) - Number(half)).toFixed(2);
  const sequel = (n: number, streamId: string, type: string, data: object): StreamAppend => ({
    streamId,
    event: {
      eventId: deterministicUuid(seed, index, 'sequel', n),
      type,
      schemaVersion: 1,
      data,
      metadata: { ...last.metadata, commandId: deterministicUuid(seed, index, 'sequel-cmd', n) },
    },
  });
  const recoveryId = deterministicUuid(seed, index, 'recovery');
  // The objection and its upholding come before the payment (during the publicity): inserted before AwardDisbursed.
  const paidAt = out.findIndex((a) => a.event.type === 'FundPaymentRecorded');
  out.splice(
    paidAt,
    0,
    sequel(0, caseStream, 'PublicityObjectionRecorded', {
      applicationId,
      source: '12345 热线',
      detail: '张三举报',
      asOfDate: `${spec.year}-06-03`,
      recordedBy: 'com-1',
    }),
    sequel(1, caseStream, 'AwardUpheld', { applicationId, reason: '核实无误', upheldBy: 'head-1' }),
  );
  out.push(
    sequel(2, caseStream, 'AwardRevoked', {
      applicationId,
      reason: '骗取: 重复申报',
      evidenceRef: 'EV-1',
      fromStatus: 'disbursed',
      amountCny: spec.amountCny,
      reservationId: deterministicUuid(spec.seed, 'res', spec.index),
      commitmentId,
      revokedBy: 'head-1',
    }),
    sequel(3, caseStream, 'RecoveryOrdered', {
      applicationId,
      recoveryId,
      amountCny: spec.amountCny,
      dueDate: `${spec.year}-08-01`,
      cause: 'revocation',
      orderedBy: 'head-1',
    }),
    sequel(4, caseStream, 'RepaymentRecorded', {
      applicationId,
      recoveryId,
      repaymentRef: 'RET-1',
      amountCny: half,
      outstandingCny: rest,
      recordedBy: 'fin-1',
    }),
    sequel(5, `fund-${spec.year}`, 'FundRepaymentRecorded', { year: spec.year, commitmentId, applicationId, amountCny: half, repaymentRef: 'RET-1' }),
    sequel(6, caseStream, 'RepaymentRecorded', {
      applicationId,
      recoveryId,
      repaymentRef: 'RET-2',
      amountCny: rest,
      outstandingCny: '0.00',
      recordedBy: 'fin-1',
    }),
    sequel(7, `fund-${spec.year}`, 'FundRepaymentRecorded', { year: spec.year, commitmentId, applicationId, amountCny: rest, repaymentRef: 'RET-2' }),
    sequel(8, caseStream, 'RecoverySettled', { applicationId, recoveryId, amountCny: spec.amountCny }),
  );
  return out;
}

/** An approved case whose award is withdrawn after an objection during its publicity. */
export function withdrawnCase(seed: string, index: number): StreamAppend[] {
  const spec = { ...caseSpec(seed, index), outcome: 'approved-after-overdue' as const };
  const out = caseLifecycle(spec);
  const applicationId = deterministicUuid(spec.seed, 'case', spec.index);
  const last = out[out.length - 1].event;
  const event = (n: number, type: string, data: object): StreamAppend => ({
    streamId: `application-${applicationId}`,
    event: { eventId: deterministicUuid(seed, index, 'withdrawn', n), type, schemaVersion: 1, data, metadata: last.metadata },
  });
  return [
    ...out,
    event(0, 'PublicityObjectionRecorded', { applicationId, source: 'letter', detail: 'd', asOfDate: `${spec.year}-06-03`, recordedBy: 'com-1' }),
    event(1, 'AwardWithdrawn', {
      applicationId,
      reason: 'founded',
      amountCny: spec.amountCny,
      reservationId: deterministicUuid(spec.seed, 'res', spec.index),
      commitmentId: deterministicUuid(spec.seed, 'com', spec.index),
      withdrawnBy: 'head-1',
    }),
  ];
}

/** An approved case opened by 免申即享, rechecked three times after customs revisions: lowered in place, then a supplementary award (补发) approved over
 * a cooperating unit's objection, then one the head refused after an objection. */
export function recheckedCase(seed: string, index: number): StreamAppend[] {
  const spec = { ...caseSpec(seed, index), outcome: 'approved-after-overdue' as const };
  const out = caseLifecycle(spec);
  const applicationId = deterministicUuid(spec.seed, 'case', spec.index);
  const commitmentId = deterministicUuid(spec.seed, 'com', spec.index);
  const reservationId = deterministicUuid(spec.seed, 'res', spec.index);
  const last = out[out.length - 1].event;
  const event = (n: number, streamId: string, type: string, data: object): StreamAppend => ({
    streamId,
    event: { eventId: deterministicUuid(seed, index, 'rechecked', n), type, schemaVersion: 1, data, metadata: last.metadata },
  });
  const caseStream = `application-${applicationId}`;
  const approved = spec.amountCny;
  const lowered = '1.00';
  const difference = (BigInt(approved.replace('.', '')) - 100n).toString().replace(/(\d\d)$/, '.$1');
  const computation = (cny: string) => ({ computedCny: cny, approvableCny: cny, trace: [{ step: 's', value: cny }], customsEventIds: ['c-1'] });
  return [
    ...out,
    event(0, caseStream, 'ProactiveCaseOpened', {
      applicationId,
      openedBy: 'com-1',
      declarationsPending: ['otherMunicipalTradeAward'],
      computation: computation(approved),
    }),
    event(1, caseStream, 'RecheckRequired', {
      applicationId,
      revisionEventIds: ['rev-1'],
      approvedCny: approved,
      decided: computation(approved),
      revised: computation(lowered),
      flaggedOn: `${spec.year + 1}-04-01`,
    }),
    event(2, caseStream, 'RecheckRecorded', {
      applicationId,
      revisionEventIds: ['rev-1'],
      outcome: 'lower',
      approvedCny: approved,
      revisedCny: lowered,
      differenceCny: difference,
      checkedBy: 'head-1',
    }),
    event(3, caseStream, 'AwardLowered', {
      applicationId,
      loweringId: 'low-1',
      fromCny: approved,
      toCny: lowered,
      differenceCny: difference,
      reservationId,
      commitmentId,
      loweredBy: 'head-1',
    }),
    event(4, `fund-${spec.year}`, 'FundCommitmentReduced', {
      year: spec.year,
      commitmentId,
      applicationId,
      reductionId: 'low-1',
      amountCny: difference,
      remainingCny: lowered,
      reason: '复核',
    }),
    event(5, caseStream, 'RecheckRecorded', {
      applicationId,
      revisionEventIds: ['rev-2'],
      outcome: 'higher',
      approvedCny: lowered,
      revisedCny: '2.00',
      differenceCny: '1.00',
      checkedBy: 'head-1',
    }),
    // CUS objected in the countersign; the head approved over it, then refused the next one.
    event(9, caseStream, 'SupplementObjectionOverruled', {
      applicationId,
      supplementId: 'sup-1',
      objectedBy: 'CUS',
      reason: '异议不成立',
      decidedBy: 'head-1',
    }),
    event(6, caseStream, 'SupplementaryAwardApproved', {
      applicationId,
      supplementId: 'sup-1',
      amountCny: '1.00',
      totalCny: '2.00',
      commitmentId: 'c-sup',
      reservationId,
      approvedBy: 'head-1',
    }),
    event(7, caseStream, 'RecheckRecorded', {
      applicationId,
      revisionEventIds: ['rev-3'],
      outcome: 'higher',
      approvedCny: '2.00',
      revisedCny: '3.00',
      differenceCny: '1.00',
      checkedBy: 'head-1',
    }),
    event(8, caseStream, 'SupplementaryAwardRefused', {
      applicationId,
      supplementId: 'sup-2',
      objectedBy: 'PBC',
      reason: '补发依据不足',
      refusedBy: 'head-1',
    }),
  ];
}
