import { DomainError } from '../decider';

/** A command other than SubmitApplication on a stream that holds no case. */
export class CaseNotFound extends DomainError {
  readonly code = 'case-not-found';
  readonly httpStatus = 404;
  constructor(readonly command: string) {
    super(`${command}: no such application`);
  }
}

/** The unit has no pending review in the case's current round (never asked, already answered, or withdrawn). */
export class ReviewNotPending extends DomainError {
  readonly code = 'review-not-pending';
  readonly httpStatus = 409;
  constructor(
    readonly unit: string,
    readonly round: number,
    detail: string,
  ) {
    super(`${unit} has no pending review in round ${round}: ${detail}`);
  }
}

/** ReviewOverdue was already recorded for this (unit, round): the caller may treat it as done. */
export class OverdueAlreadyRecorded extends DomainError {
  readonly code = 'overdue-already-recorded';
  readonly httpStatus = 409;
  constructor(
    readonly unit: string,
    readonly round: number,
  ) {
    super(`review of ${unit} in round ${round} is already recorded as overdue`);
  }
}

export class ReviewNotYetDue extends DomainError {
  readonly code = 'review-not-yet-due';
  readonly httpStatus = 422;
  constructor(
    readonly unit: string,
    readonly dueDate: string,
    readonly asOfDate: string,
  ) {
    super(`review of ${unit} is due on ${dueDate}; on ${asOfDate} it is not overdue`);
  }
}

/** The program is for another kind of beneficiary (P3a/P3b platforms, P4 parks, P1/P2 enterprises). */
export class WrongBeneficiaryKind extends DomainError {
  readonly code = 'wrong-beneficiary-kind';
  readonly httpStatus = 422;
  constructor(
    readonly program: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${program} is awarded to a ${expected}, not to a ${actual}`);
  }
}

/** An approval may be lower than the computed award (with a reason), never higher. */
export class AmountAboveComputed extends DomainError {
  readonly code = 'amount-above-computed';
  readonly httpStatus = 422;
  constructor(
    readonly amountCny: string,
    readonly approvableCny: string,
  ) {
    super(`amountCny ${amountCny} is above the approvable award ${approvableCny} (after caps)`);
  }
}

export class ReasonRequiredForLowerAmount extends DomainError {
  readonly code = 'reason-required-for-lower-amount';
  readonly httpStatus = 422;
  constructor(
    readonly amountCny: string,
    readonly approvableCny: string,
  ) {
    super(`amountCny ${amountCny} is lower than the approvable award ${approvableCny}: reasonIfLower is required`);
  }
}

export class DisbursementAmountMismatch extends DomainError {
  readonly code = 'disbursement-amount-mismatch';
  readonly httpStatus = 422;
  constructor(
    readonly amountCny: string,
    readonly approvedCny: string,
  ) {
    super(`a disbursement of ${amountCny} does not match the approved award ${approvedCny}`);
  }
}

/**
 * Four eyes: no person acts twice in one case's chain of submission, countersign and decision (the
 * countersign of docs/policy.md exists so that each step is a different pair of eyes).
 */
export class FourEyes extends DomainError {
  readonly code = 'four-eyes';
  readonly httpStatus = 403;
  constructor(
    readonly user: string,
    readonly step: string,
    readonly earlier: string,
  ) {
    super(`"${user}" may not ${step} on this case: they already ${earlier} it (four eyes: one person, one step of submission, countersign and decision)`);
  }
}

/** 公示: an approved award is paid only after its publicity period (or once the lead unit upheld it after an objection). */
export class PublicityNotOver extends DomainError {
  readonly code = 'publicity-not-over';
  readonly httpStatus = 422;
  constructor(
    readonly until: string,
    readonly asOfDate: string,
  ) {
    super(`the award is in its publicity period (公示) until ${until}; on ${asOfDate} it may not be paid yet`);
  }
}

/** An objection (异议) is recorded only during the award's publicity period. */
export class NotInPublicity extends DomainError {
  readonly code = 'not-in-publicity';
  readonly httpStatus = 422;
  constructor(
    readonly until: string | null,
    readonly asOfDate: string,
  ) {
    super(
      until
        ? `the publicity period (公示) ended on ${until}; on ${asOfDate} no objection is recorded`
        : 'this award was approved without a publicity period (公示)',
    );
  }
}

export class RecoveryNotFound extends DomainError {
  readonly code = 'recovery-not-found';
  readonly httpStatus = 404;
  constructor(readonly recoveryId: string) {
    super(`no recovery order ${recoveryId} on this case`);
  }
}

/** A repayment never exceeds what is still owed on the recovery order. */
export class RepaymentAboveOutstanding extends DomainError {
  readonly code = 'repayment-above-outstanding';
  readonly httpStatus = 422;
  constructor(
    readonly amountCny: string,
    readonly outstandingCny: string,
  ) {
    super(`a repayment of ${amountCny} is more than the ${outstandingCny} still owed`);
  }
}

/** 复核 is recorded only when a customs revision flagged the award. */
export class NoRecheckPending extends DomainError {
  readonly code = 'no-recheck-pending';
  readonly httpStatus = 409;
  constructor() {
    super('no recheck (复核) is pending on this award: no customs revision reached it since the last one');
  }
}

/** A revision lowers an award not yet paid: it is not lowered in place; the lead unit withdraws or the FIN head revokes it. */
export class RecheckLowerBeforePayment extends DomainError {
  readonly code = 'recheck-lower-before-payment';
  readonly httpStatus = 422;
  constructor(
    readonly approvedCny: string,
    readonly revisedCny: string,
  ) {
    super(`the revised figures give ${revisedCny}, less than the ${approvedCny} approved and not yet paid: revoke the award and approve a new one`);
  }
}

/** 免申即享: the lead unit accepts a proactively opened case only once the enterprise confirmed its declarations. */
export class DeclarationsPending extends DomainError {
  readonly code = 'declarations-pending';
  readonly httpStatus = 422;
  constructor(readonly pending: string[]) {
    super(`the enterprise has not yet confirmed this 免申 case${pending.length ? ` and its declarations (${pending.join(', ')})` : ''}`);
  }
}

/** 免申即享: declarations are confirmed once, on a case COM opened, while they are pending. */
export class NoDeclarationsPending extends DomainError {
  readonly code = 'no-declarations-pending';
  readonly httpStatus = 409;
  constructor() {
    super('this case awaits no declarations (not opened by 免申即享, or already confirmed)');
  }
}

/** 补发: no supplementary award awaits this step (none opened, approved already, or paid already). */
export class NoSupplementPending extends DomainError {
  readonly code = 'no-supplement-pending';
  readonly httpStatus = 409;
  constructor() {
    super('no supplementary award (补发) awaits this step on this case');
  }
}

/** 补发 goes through the countersign: the head decides once every cooperating unit gave its opinion. */
export class SupplementCountersignPending extends DomainError {
  readonly code = 'supplement-countersign-pending';
  readonly httpStatus = 422;
  constructor(readonly pending: string[]) {
    super(`the supplementary award awaits the countersign of ${pending.join(', ')}`);
  }
}

/** A cooperating unit answered reject on the supplementary award: it is not approved. */
export class SupplementObjected extends DomainError {
  readonly code = 'supplement-objected';
  readonly httpStatus = 422;
  constructor(readonly unit: string) {
    super(`${unit} objected to the supplementary award: it is not approved`);
  }
}
