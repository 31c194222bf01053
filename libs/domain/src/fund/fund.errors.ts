import { DomainError } from '../decider';

/** 五（二）: an approval that would over-commit the year's fund is refused; nothing is committed (E14). */
export class FundOverCommitted extends DomainError {
  readonly code = 'fund-over-committed';
  readonly httpStatus = 422;
  constructor(
    readonly year: number,
    readonly appropriationCny: string,
    readonly committedCny: string,
    readonly requestedCny: string,
    readonly availableCny: string,
  ) {
    super(
      `fund ${year}: committing ${requestedCny} would over-commit it (appropriation ${appropriationCny}, committed ${committedCny}, available ${availableCny})`,
    );
  }
}

export class CommitmentNotFound extends DomainError {
  readonly code = 'commitment-not-found';
  readonly httpStatus = 404;
  constructor(
    readonly year: number,
    readonly commitmentId: string,
  ) {
    super(`fund ${year}: no commitment "${commitmentId}"`);
  }
}

export class PaymentExceedsCommitment extends DomainError {
  readonly code = 'payment-exceeds-commitment';
  readonly httpStatus = 422;
  constructor(
    readonly commitmentId: string,
    readonly committedCny: string,
    readonly paidCny: string,
    readonly requestedCny: string,
  ) {
    super(`commitment ${commitmentId}: paying ${requestedCny} on top of ${paidCny} would exceed the committed ${committedCny}`);
  }
}
