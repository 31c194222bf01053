import { DomainError } from '../decider';
import type { ReasonCode } from '../policy/reasons';
import type { StoredTraceStep } from '../shared/trace';

/**
 * The ledger refuses an award (one-time rule, cap, period, no-double-benefit); `reason` is the reason
 * code of docs/api.md, `trace` says why. Subclasses for the reasons callers branch on.
 */
export class AwardRefusedByLedger extends DomainError {
  readonly code: string = 'award-refused-by-ledger';
  readonly httpStatus = 422;
  constructor(
    readonly reason: ReasonCode | string,
    readonly trace: StoredTraceStep[],
    message?: string,
  ) {
    super(message ?? `the beneficiary ledger refuses the award: ${reason}`);
  }
}

/** One-time rules: P1 (once per beneficiary by default), P4 (once per park), annual programs once a year. */
export class AlreadyAwarded extends AwardRefusedByLedger {
  override readonly code = 'already-awarded';
  constructor(trace: StoredTraceStep[]) {
    super('already-awarded', trace, 'the beneficiary was already awarded this program (one-time rule)');
  }
}

/** Nothing remains under an annual or article cap. */
export class CapExceeded extends AwardRefusedByLedger {
  override readonly code = 'cap-exceeded';
  constructor(trace: StoredTraceStep[]) {
    super('cap-exhausted', trace, 'nothing remains under the cap for this year');
  }
}

/** 四（一）: P1 is not combinable with a municipal foreign-trade award of the same year. */
export class NoDoubleBenefit extends AwardRefusedByLedger {
  override readonly code = 'no-double-benefit';
  constructor(trace: StoredTraceStep[]) {
    super('no-double-benefit', trace, 'a municipal foreign-trade award is recorded for the same year');
  }
}

export class ReservationNotFound extends DomainError {
  readonly code = 'reservation-not-found';
  readonly httpStatus = 404;
  constructor(
    readonly uscc: string,
    readonly reservationId: string,
  ) {
    super(`beneficiary ${uscc}: no reservation "${reservationId}"`);
  }
}

/** P3b: the enterprise already counts as a recruit (of this or another platform). */
export class RecruitAlreadyCounted extends DomainError {
  readonly code = 'recruit-already-counted';
  readonly httpStatus = 422;
  constructor(
    readonly uscc: string,
    readonly countedBy: { platformUscc: string; year: number; applicationId: string },
  ) {
    super(`${uscc} already counts as a recruit of platform ${countedBy.platformUscc} (${countedBy.year}, ${countedBy.applicationId})`);
  }
}
