import type { DomainCommand } from '../decider';

/**
 * Commands on one beneficiary's ledger (stream `beneficiary-<uscc>`). Idempotency: an identical repeat
 * of a command whose id (reservationId, ref) already succeeded decides `[]`, so the approval process
 * can retry with deterministic ids; the same id with different data is an `IdConflict`.
 */

export type ReserveAward = DomainCommand<
  'ReserveAward',
  {
    uscc: string;
    reservationId: string;
    applicationId: string;
    program: string;
    year: number;
    /** The award the policy engine computed for this case (before the ledger's caps). */
    requestedCny: string;
    /** Defaults to the current policy. */
    policyVersion?: string;
    /** P1: the applicant waives the municipal foreign-trade award for the year (四（一）). */
    waivesMunicipalAward?: boolean;
    /** P3b: the recruits (USCCs) this award counts. */
    recruits?: string[];
  }
>;

export type ConfirmReservation = DomainCommand<'ConfirmReservation', { uscc: string; reservationId: string }>;

export type ReleaseReservation = DomainCommand<'ReleaseReservation', { uscc: string; reservationId: string; reason: string }>;

/** A municipal foreign-trade award (recorded by COM); P1 is not combinable with one of the same year. */
export type RecordExternalAward = DomainCommand<
  'RecordExternalAward',
  { uscc: string; year: number; ref: string; amountCny?: string | null; recordedBy: string }
>;

/**
 * P3b, on the RECRUIT's stream: counts enterprise `uscc` as recruited by `platformUscc`. Refused when
 * another platform (or another application) already counted it: once, ever, for one platform only.
 */
export type RecordRecruitCounted = DomainCommand<'RecordRecruitCounted', { uscc: string; platformUscc: string; year: number; applicationId: string }>;

/**
 * P3b, on the RECRUIT's stream: compensation of an approval that claimed the recruit and was then refused.
 * Releases the claim only when `platformUscc` and `applicationId` hold it; otherwise (never claimed, already
 * released, held by another platform) there is nothing of this approval's to release and it decides `[]`.
 */
export type ReleaseRecruitClaim = DomainCommand<'ReleaseRecruitClaim', { uscc: string; platformUscc: string; applicationId: string; reason: string }>;

/**
 * The beneficiary register: `uscc` registered in `division` from `date`, per the registry extract
 * `documentNo` of `source`. The same document recorded again with the same data is one record.
 */
export type RecordRegistration = DomainCommand<
  'RecordRegistration',
  { uscc: string; division: string; date: string; documentNo: string; source: string; recordedBy: string; batchId: string }
>;

/** A decided award undone (withdrawn after an objection, revoked before payment): it no longer counts. */
export type ReleaseAward = DomainCommand<'ReleaseAward', { uscc: string; reservationId: string; reason: string }>;

/** Money of a paid award returned (追回): the award counts for what is kept; once all is back, it no longer counts. */
/**
 * 复核: a decided award's amount changed in place (补发 raises it by the supplement, an unpaid award lowered by a
 * customs revision lowers it), checked against the caps as the award would be reserved now. `adjustmentId` names it.
 */
export type AdjustAward = DomainCommand<'AdjustAward', { uscc: string; reservationId: string; adjustmentId: string; toCny: string; reason: string }>;

export type RecordAwardRepayment = DomainCommand<'RecordAwardRepayment', { uscc: string; reservationId: string; repaymentRef: string; amountCny: string }>;

export type BeneficiaryCommand =
  | ReserveAward
  | ConfirmReservation
  | ReleaseReservation
  | RecordExternalAward
  | RecordRecruitCounted
  | ReleaseRecruitClaim
  | RecordRegistration
  | ReleaseAward
  | RecordAwardRepayment
  | AdjustAward;
