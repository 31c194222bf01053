import { PersistentMap } from '../shared/persistent-map';
import { FUND_EVENT_TYPES, type FundEvent } from './fund.events';

export interface FundCommitment {
  commitmentId: string;
  applicationId: string;
  amountCny: string;
  paidCny: string;
  status: 'open' | 'released';
  paymentRefs: string[];
  /** Money returned on it (追回), by repayment reference. */
  repaymentRefs: string[];
  /** Lowerings in place, by reduction id. */
  reductionIds?: string[];
}

export interface FundPayment {
  paymentRef: string;
  commitmentId: string;
  amountCny: string;
}

/** Amounts as decimal strings; available = appropriation - committed (payments stay committed). */
export interface FundState {
  year: number | null;
  appropriationCny: string;
  committedCny: string;
  disbursedCny: string;
  availableCny: string;
  /** By commitment id; structurally shared between states, so a fold stays linear in the stream. */
  commitments: PersistentMap<FundCommitment>;
  /** By payment reference. */
  payments: PersistentMap<FundPayment>;
}

export const initialFundState = (): FundState => ({
  year: null,
  appropriationCny: '0.00',
  committedCny: '0.00',
  disbursedCny: '0.00',
  availableCny: '0.00',
  commitments: PersistentMap.empty(),
  payments: PersistentMap.empty(),
});

// Plain decimal-string arithmetic kept exact through bigint fen.
const fen = (s: string): bigint => {
  const [whole, frac = ''] = s.split('.');
  return BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
};
const str = (minor: bigint): string => {
  const neg = minor < 0n;
  const s = (neg ? -minor : minor).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
};

function totals(state: FundState, appropriation: bigint, committed: bigint, disbursed: bigint): FundState {
  return {
    ...state,
    appropriationCny: str(appropriation),
    committedCny: str(committed),
    disbursedCny: str(disbursed),
    availableCny: str(appropriation - committed),
  };
}

export function evolveFund(state: FundState, event: FundEvent): FundState {
  if (!(FUND_EVENT_TYPES as readonly string[]).includes(event.type)) return state;
  const a = fen(state.appropriationCny);
  const c = fen(state.committedCny);
  const d = fen(state.disbursedCny);
  const base = { ...state, year: event.data.year };
  switch (event.type) {
    case 'FundBudgetAllocated':
      return totals(base, a + fen(event.data.amountCny), c, d);
    case 'FundsCommitted': {
      const { commitmentId, applicationId, amountCny } = event.data;
      return totals(
        {
          ...base,
          commitments: state.commitments.set(commitmentId, {
            commitmentId,
            applicationId,
            amountCny,
            paidCny: '0.00',
            status: 'open',
            paymentRefs: [],
            repaymentRefs: [],
          }),
        },
        a,
        c + fen(amountCny),
        d,
      );
    }
    case 'FundCommitmentReleased': {
      const commitment = state.commitments.get(event.data.commitmentId)!;
      return totals(
        { ...base, commitments: state.commitments.set(commitment.commitmentId, { ...commitment, status: 'released' }) },
        a,
        c - fen(commitment.amountCny),
        d,
      );
    }
    case 'FundPaymentRecorded': {
      const { commitmentId, amountCny, paymentRef } = event.data;
      const commitment = state.commitments.get(commitmentId)!;
      return totals(
        {
          ...base,
          commitments: state.commitments.set(commitmentId, {
            ...commitment,
            paidCny: str(fen(commitment.paidCny) + fen(amountCny)),
            // One commitment's own payments: few, copied per payment.
            paymentRefs: [...commitment.paymentRefs, paymentRef],
          }),
          payments: state.payments.set(paymentRef, { paymentRef, commitmentId, amountCny }),
        },
        a,
        c,
        d + fen(amountCny),
      );
    }
    case 'FundCommitmentReduced': {
      const { commitmentId, amountCny, reductionId } = event.data;
      const commitment = state.commitments.get(commitmentId)!;
      return totals(
        {
          ...base,
          commitments: state.commitments.set(commitmentId, {
            ...commitment,
            amountCny: str(fen(commitment.amountCny) - fen(amountCny)),
            reductionIds: [...(commitment.reductionIds ?? []), reductionId],
          }),
        },
        a,
        c - fen(amountCny),
        d,
      );
    }
    case 'FundRepaymentRecorded': {
      const { commitmentId, amountCny, repaymentRef } = event.data;
      const commitment = state.commitments.get(commitmentId)!;
      const back = fen(amountCny);
      return totals(
        {
          ...base,
          commitments: state.commitments.set(commitmentId, {
            ...commitment,
            amountCny: str(fen(commitment.amountCny) - back),
            paidCny: str(fen(commitment.paidCny) - back),
            repaymentRefs: [...commitment.repaymentRefs, repaymentRef],
          }),
        },
        a,
        c - back,
        d - back,
      );
    }
  }
}
