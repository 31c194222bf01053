import { AmountAboveLimit, amountOverLimit, IdConflict, InvalidCommand, InvalidTransition, requireCny, requireText, requireYear } from '../decider';
import { AMOUNT_LIMITS } from '../shared/amount-limits';
import { Money } from '../shared/money';
import type { FundCommand } from './fund.commands';
import { CommitmentNotFound, FundOverCommitted, PaymentExceedsCommitment } from './fund.errors';
import type { FundEvent } from './fund.events';
import type { FundState } from './fund.state';

export function decideFund(command: FundCommand, state: FundState): FundEvent[] {
  const year = requireYear(command.data.year);
  if (state.year !== null && state.year !== year) {
    throw new InvalidCommand('year', `this is the fund of ${state.year}, not ${year}`);
  }
  switch (command.type) {
    case 'AllocateFundBudget': {
      const amount = positive(command.data.amountCny, 'amountCny');
      // One appropriation, and the year's together, within the limit: every figure of the fund stays exact.
      const limit = AMOUNT_LIMITS.fundYearCny;
      const total = Money.cny(state.appropriationCny).add(amount);
      const over =
        amountOverLimit('amountCny', amount, limit) ??
        amountOverLimit('amountCny', total, limit, `with the ${state.appropriationCny} CNY already appropriated, the appropriations of ${year} would come to`);
      if (over) throw new AmountAboveLimit([over]);
      return [{ type: 'FundBudgetAllocated', data: { year, amountCny: amount.toString() } }];
    }
    case 'CommitFunds': {
      const commitmentId = requireText(command.data.commitmentId, 'commitmentId');
      const applicationId = requireText(command.data.applicationId, 'applicationId');
      const amount = positive(command.data.amountCny, 'amountCny');
      const existing = state.commitments.get(commitmentId);
      if (existing) {
        if (existing.applicationId !== applicationId || existing.amountCny !== amount.toString()) {
          throw new IdConflict('commitmentId', commitmentId, `it committed ${existing.amountCny} for ${existing.applicationId}`);
        }
        if (existing.status === 'released') {
          throw new InvalidTransition('fund-commitment', 'released', command.type, `commitment ${commitmentId} was released`);
        }
        return []; // identical repeat of a commitment in force
      }
      // 五（二） / E14: committed + amount must stay <= appropriation; otherwise nothing is committed.
      const available = Money.cny(state.availableCny);
      if (amount.gt(available)) {
        throw new FundOverCommitted(year, state.appropriationCny, state.committedCny, amount.toString(), state.availableCny);
      }
      return [{ type: 'FundsCommitted', data: { year, commitmentId, applicationId, amountCny: amount.toString() } }];
    }
    case 'ReleaseCommitment': {
      const commitmentId = requireText(command.data.commitmentId, 'commitmentId');
      const reason = requireText(command.data.reason, 'reason');
      const commitment = state.commitments.get(commitmentId);
      if (!commitment) throw new CommitmentNotFound(year, commitmentId);
      if (commitment.status === 'released') return []; // compensation is retried: releasing twice is one release
      if (commitment.paidCny !== '0.00') {
        throw new InvalidTransition('fund-commitment', 'paid', command.type, `${commitment.paidCny} was already paid on it`);
      }
      return [
        {
          type: 'FundCommitmentReleased',
          data: { year, commitmentId, applicationId: commitment.applicationId, amountCny: commitment.amountCny, reason },
        },
      ];
    }
    case 'ReduceCommitment': {
      const commitmentId = requireText(command.data.commitmentId, 'commitmentId');
      const reductionId = requireText(command.data.reductionId, 'reductionId');
      const reason = requireText(command.data.reason, 'reason');
      const amount = positive(command.data.amountCny, 'amountCny');
      const commitment = state.commitments.get(commitmentId);
      if (!commitment) throw new CommitmentNotFound(year, commitmentId);
      if ((commitment.reductionIds ?? []).includes(reductionId)) return []; // repeated
      if (commitment.status === 'released') throw new InvalidTransition('fund-commitment', 'released', command.type, `commitment ${commitmentId} was released`);
      // Lowered in place only before payment; a paid award lowered is a recovery (RecordFundRepayment as the money returns).
      if (commitment.paidCny !== '0.00') throw new InvalidTransition('fund-commitment', 'paid', command.type, `${commitment.paidCny} was already paid on it`);
      const held = Money.cny(commitment.amountCny);
      if (!amount.lt(held))
        throw new InvalidCommand('amountCny', `a reduction of ${amount} leaves nothing of the ${held} committed: release the commitment instead`);
      return [
        {
          type: 'FundCommitmentReduced',
          data: {
            year,
            commitmentId,
            applicationId: commitment.applicationId,
            reductionId,
            amountCny: amount.toString(),
            remainingCny: held.sub(amount).toString(),
            reason,
          },
        },
      ];
    }
    case 'RecordPayment': {
      const commitmentId = requireText(command.data.commitmentId, 'commitmentId');
      const paymentRef = requireText(command.data.paymentRef, 'paymentRef');
      const amount = positive(command.data.amountCny, 'amountCny');
      const previous = state.payments.get(paymentRef);
      if (previous) {
        if (previous.commitmentId !== commitmentId || previous.amountCny !== amount.toString()) {
          throw new IdConflict('paymentRef', paymentRef, `it paid ${previous.amountCny} on ${previous.commitmentId}`);
        }
        return []; // identical repeat of a recorded payment
      }
      const commitment = state.commitments.get(commitmentId);
      if (!commitment) throw new CommitmentNotFound(year, commitmentId);
      if (commitment.status === 'released') {
        throw new InvalidTransition('fund-commitment', 'released', command.type, `commitment ${commitmentId} was released`);
      }
      const paid = Money.cny(commitment.paidCny);
      if (paid.add(amount).gt(Money.cny(commitment.amountCny))) {
        throw new PaymentExceedsCommitment(commitmentId, commitment.amountCny, commitment.paidCny, amount.toString());
      }
      return [
        {
          type: 'FundPaymentRecorded',
          data: { year, commitmentId, applicationId: commitment.applicationId, amountCny: amount.toString(), paymentRef },
        },
      ];
    }
    case 'RecordFundRepayment': {
      const commitmentId = requireText(command.data.commitmentId, 'commitmentId');
      const repaymentRef = requireText(command.data.repaymentRef, 'repaymentRef');
      const amount = positive(command.data.amountCny, 'amountCny');
      const commitment = state.commitments.get(commitmentId);
      if (!commitment) throw new CommitmentNotFound(year, commitmentId);
      if (commitment.repaymentRefs.includes(repaymentRef)) return []; // repeated
      // Only money paid out comes back: disbursed <= committed holds for every prefix.
      if (amount.gt(Money.cny(commitment.paidCny))) {
        throw new InvalidCommand('amountCny', `${amount} is more than the ${commitment.paidCny} paid on commitment ${commitmentId}`);
      }
      return [
        { type: 'FundRepaymentRecorded', data: { year, commitmentId, applicationId: commitment.applicationId, amountCny: amount.toString(), repaymentRef } },
      ];
    }
  }
}

function positive(value: unknown, field: string): Money {
  const amount = requireCny(value, field);
  if (amount.isZero()) throw new InvalidCommand(field, 'must be more than 0.00');
  return amount;
}
