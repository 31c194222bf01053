import type { DomainEvent } from '../decider';
import type { ProgramId } from '../policy/programs';
import type { StoredTraceStep } from '../shared/trace';

/**
 * Events of one beneficiary's award ledger, stream `beneficiary-<uscc>` (enterprise, platform or park),
 * all years. Reserved and confirmed awards count against one-time rules and caps; released ones do not.
 * Money is a decimal string ("50000.00").
 */

/** An award held against the caps while the approval process completes (reserve -> confirm | release). */
export type AwardReserved = DomainEvent<
  'AwardReserved',
  {
    uscc: string;
    reservationId: string;
    applicationId: string;
    program: ProgramId;
    year: number;
    requestedCny: string;
    /** What is held: the requested amount, possibly cut to what remains under a cap. */
    amountCny: string;
    /** The amount before the ledger's caps (limitByLedger's `computed`). */
    computedCny: string;
    /** Which cap cut it (e.g. 'article 四（二） annual cap'), null when none did. */
    capApplied: string | null;
    trace: StoredTraceStep[];
    policyVersion: string;
    /** P3b: the recruits (USCCs) this award counts; absent for other programs. */
    recruits?: string[];
  }
>;

export type ReservationConfirmed = DomainEvent<
  'ReservationConfirmed',
  { uscc: string; reservationId: string; applicationId: string; program: ProgramId; year: number; amountCny: string }
>;

/** A released reservation no longer counts against any cap or one-time rule. */
export type ReservationReleased = DomainEvent<
  'ReservationReleased',
  {
    uscc: string;
    reservationId: string;
    applicationId: string;
    program: ProgramId;
    year: number;
    amountCny: string;
    reason: string;
  }
>;

/**
 * A municipal foreign-trade award for `year`, recorded by COM: P1 is not combinable with it
 * (四（一）: 与市级外贸政策不重复享受).
 */
export type ExternalAwardRecorded = DomainEvent<
  'ExternalAwardRecorded',
  { uscc: string; year: number; ref: string; amountCny: string | null; recordedBy: string }
>;

/**
 * P3b (四（三）): an enterprise counts as a platform's recruit once, ever, for one platform only. Recorded
 * on the RECRUIT's stream, so the guard is the recruit's ledger.
 */
export type RecruitCounted = DomainEvent<'RecruitCounted', { uscc: string; platformUscc: string; year: number; applicationId: string }>;

/** P3b: an approval refused after claiming the recruit gives the claim back (compensation, recorded). */
export type RecruitClaimReleased = DomainEvent<
  'RecruitClaimReleased',
  { uscc: string; platformUscc: string; year: number; applicationId: string; reason: string }
>;

/**
 * The beneficiary register (四: every program is the city's): where the beneficiary is registered from `date`
 * on (GB/T 2260 `division`), as a market-regulation registry extract says it (`source`, `documentNo`),
 * imported by COM. The registration in force at the end of an award year decides "registered in Lu'an".
 */
export type RegistrationRecorded = DomainEvent<
  'RegistrationRecorded',
  { uscc: string; division: string; date: string; documentNo: string; source: string; recordedBy: string; batchId: string }
>;

/** A confirmed award undone by a later decision (withdrawal, revocation before payment): released from the caps. */
export type AwardReleased = DomainEvent<
  'AwardReleased',
  { uscc: string; reservationId: string; applicationId: string; program: ProgramId; year: number; amountCny: string; reason: string }
>;

/** Money of an award returned: `remainingCny` is what the award still counts for (0: released). */
export type AwardRepaid = DomainEvent<
  'AwardRepaid',
  {
    uscc: string;
    reservationId: string;
    applicationId: string;
    program: ProgramId;
    year: number;
    repaymentRef: string;
    amountCny: string;
    remainingCny: string;
  }
>;

/** A decided award's amount changed in place (补发 or a lowering after a customs revision): it counts for `toCny` from here on. */
export type AwardAdjusted = DomainEvent<
  'AwardAdjusted',
  {
    uscc: string;
    reservationId: string;
    applicationId: string;
    program: ProgramId;
    year: number;
    adjustmentId: string;
    fromCny: string;
    toCny: string;
    reason: string;
    trace: StoredTraceStep[];
  }
>;

export type BeneficiaryEvent =
  | AwardReserved
  | ReservationConfirmed
  | ReservationReleased
  | ExternalAwardRecorded
  | RecruitCounted
  | RecruitClaimReleased
  | RegistrationRecorded
  | AwardReleased
  | AwardRepaid
  | AwardAdjusted;

export const BENEFICIARY_EVENT_TYPES: readonly BeneficiaryEvent['type'][] = [
  'AwardReserved',
  'ReservationConfirmed',
  'ReservationReleased',
  'ExternalAwardRecorded',
  'RecruitCounted',
  'RecruitClaimReleased',
  'RegistrationRecorded',
  'AwardReleased',
  'AwardRepaid',
  'AwardAdjusted',
];

export const beneficiaryStreamId = (uscc: string): string => `beneficiary-${uscc}`;
