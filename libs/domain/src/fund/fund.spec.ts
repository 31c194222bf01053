import fc from 'fast-check';
import { deciderSpec, DomainError, evolveAll, IdConflict, InvalidCommand, InvalidTransition } from '../decider';
import { Money } from '../shared/money';
import type { FundCommand } from './fund.commands';
import { fundDecider } from './fund.decider';
import { CommitmentNotFound, FundOverCommitted, PaymentExceedsCommitment } from './fund.errors';
import type { FundEvent } from './fund.events';

const given = deciderSpec(fundDecider);
const allocated = (amountCny: string): FundEvent => ({ type: 'FundBudgetAllocated', data: { year: 2019, amountCny } });
const committed = (commitmentId: string, amountCny: string, applicationId = `app-${commitmentId}`): FundEvent => ({
  type: 'FundsCommitted',
  data: { year: 2019, commitmentId, applicationId, amountCny },
});
const commit = (commitmentId: string, amountCny: string, applicationId = `app-${commitmentId}`): FundCommand => ({
  type: 'CommitFunds',
  data: { year: 2019, commitmentId, applicationId, amountCny },
});
const paid = (commitmentId: string, amountCny: string, paymentRef: string): FundEvent => ({
  type: 'FundPaymentRecorded',
  data: { year: 2019, commitmentId, applicationId: `app-${commitmentId}`, amountCny, paymentRef },
});
const pay = (commitmentId: string, amountCny: string, paymentRef: string): FundCommand => ({
  type: 'RecordPayment',
  data: { year: 2019, commitmentId, amountCny, paymentRef },
});
const releasedEvent = (commitmentId: string, amountCny: string): FundEvent => ({
  type: 'FundCommitmentReleased',
  data: { year: 2019, commitmentId, applicationId: `app-${commitmentId}`, amountCny, reason: 'approval failed' },
});

describe('special fund (stream fund-<year>)', () => {
  it('an event type this version does not know leaves the fund as it was', () => {
    const before = evolveAll(fundDecider, [allocated('10.00')]);
    expect(fundDecider.evolve(before, { type: 'SomethingNew', data: {} } as unknown as FundEvent)).toBe(before);
  });

  it('folding a payment and a release leaves every earlier state as it was', () => {
    // Given the states after each event of a stream, kept as the fold produced them
    const events = [allocated('100.00'), committed('c1', '30.00'), committed('c2', '20.00'), paid('c1', '30.00', 'p1'), releasedEvent('c2', '20.00')];
    const states = events.reduce((all, e) => [...all, fundDecider.evolve(all[all.length - 1], e)], [fundDecider.initialState()]);
    // Then each keeps what it held then, while the last holds everything
    expect(states.map((s) => s.commitments.size)).toEqual([0, 0, 1, 2, 2, 2]);
    expect(states[2].commitments.get('c1')).toMatchObject({ paidCny: '0.00', paymentRefs: [] });
    expect(states[3].payments.get('p1')).toBeUndefined();
    expect(states[4].commitments.get('c2')?.status).toBe('open');
    expect(states[5].commitments.get('c1')).toMatchObject({ paidCny: '30.00', paymentRefs: ['p1'] });
    expect(states[5].commitments.get('c2')?.status).toBe('released');
  });

  describe('no appropriation yet', () => {
    it('an allocation adds to the appropriation', () => {
      const state = given([])
        .when({ type: 'AllocateFundBudget', data: { year: 2019, amountCny: '1000000.00' } })
        .then([allocated('1000000.00')]);
      expect(state).toMatchObject({ year: 2019, appropriationCny: '1000000.00', availableCny: '1000000.00' });
    });

    it('a second allocation adds to the first', () => {
      const state = given([allocated('1000000.00')])
        .when({ type: 'AllocateFundBudget', data: { year: 2019, amountCny: '250000.50' } })
        .then([allocated('250000.50')]);
      expect(state.appropriationCny).toBe('1250000.50');
    });

    it('refuses any commitment: nothing is available', () => {
      given([]).when(commit('c1', '0.01')).thenThrows(FundOverCommitted, { availableCny: '0.00' });
    });

    it('refuses a zero, negative, numeric or three-decimal allocation, naming the field', () => {
      for (const amountCny of ['0.00', '-5.00', 5 as never, '1.005']) {
        given([])
          .when({ type: 'AllocateFundBudget', data: { year: 2019, amountCny } })
          .thenThrows(InvalidCommand, { field: 'amountCny' });
      }
    });

    it('refuses a command for another year than the stream', () => {
      given([allocated('10.00')])
        .when({ type: 'AllocateFundBudget', data: { year: 2020, amountCny: '1.00' } })
        .thenThrows(InvalidCommand, { field: 'year' });
    });
  });

  describe('with an appropriation', () => {
    it('commits an approval against the appropriation', () => {
      const state = given([allocated('1000000.00')])
        .when(commit('c1', '50000.00'))
        .then([committed('c1', '50000.00')]);
      expect(state).toMatchObject({ committedCny: '50000.00', availableCny: '950000.00', disbursedCny: '0.00' });
    });

    it('E14: refuses an approval that would over-commit the fund; nothing changes', () => {
      const history = [allocated('1000000.00'), committed('c1', '980000.00')];
      const before = evolveAll(fundDecider, history);
      const after = given(history).when(commit('c2', '50000.00')).then(FundOverCommitted, {
        code: 'fund-over-committed',
        appropriationCny: '1000000.00',
        committedCny: '980000.00',
        requestedCny: '50000.00',
        availableCny: '20000.00',
      });
      expect(after).toEqual(before);
      expect(after.commitments.get('c2')).toBeUndefined();
    });

    it('commits exactly what remains, and refuses one fen more', () => {
      const history = [allocated('1000000.00'), committed('c1', '980000.00')];
      given(history)
        .when(commit('c2', '20000.00'))
        .then([committed('c2', '20000.00')]);
      given(history).when(commit('c2', '20000.01')).thenThrows(FundOverCommitted);
    });

    it('an identical repeat of a commitment decides nothing (idempotent retry)', () => {
      given([allocated('100.00'), committed('c1', '60.00')])
        .when(commit('c1', '60.00'))
        .then([]);
    });

    it('refuses a commitment id reused with another amount or application', () => {
      given([allocated('100.00'), committed('c1', '60.00')])
        .when(commit('c1', '10.00'))
        .thenThrows(IdConflict, { id: 'c1' });
      given([allocated('100.00'), committed('c1', '60.00')])
        .when(commit('c1', '60.00', 'app-x'))
        .thenThrows(IdConflict);
    });

    it('releases an unpaid commitment; what it held is available again', () => {
      const state = given([allocated('100.00'), committed('c1', '60.00')])
        .when({ type: 'ReleaseCommitment', data: { year: 2019, commitmentId: 'c1', reason: 'approval failed' } })
        .then([releasedEvent('c1', '60.00')]);
      expect(state).toMatchObject({ committedCny: '0.00', availableCny: '100.00' });
    });

    it('releasing twice is one release; re-committing a released id is refused', () => {
      const history = [allocated('100.00'), committed('c1', '60.00'), releasedEvent('c1', '60.00')];
      given(history)
        .when({ type: 'ReleaseCommitment', data: { year: 2019, commitmentId: 'c1', reason: 'retry' } })
        .then([]);
      given(history).when(commit('c1', '60.00')).thenThrows(InvalidTransition, { status: 'released' });
    });

    it('refuses to release an unknown or a paid commitment', () => {
      given([allocated('100.00')])
        .when({ type: 'ReleaseCommitment', data: { year: 2019, commitmentId: 'nope', reason: 'x' } })
        .thenThrows(CommitmentNotFound);
      given([allocated('100.00'), committed('c1', '60.00'), paid('c1', '60.00', 'P1')])
        .when({ type: 'ReleaseCommitment', data: { year: 2019, commitmentId: 'c1', reason: 'x' } })
        .thenThrows(InvalidTransition, { status: 'paid' });
    });
  });

  describe('payments', () => {
    const history = [allocated('100.00'), committed('c1', '60.00')];

    it('records a payment against a commitment', () => {
      const state = given(history)
        .when(pay('c1', '60.00', 'PAY-1'))
        .then([paid('c1', '60.00', 'PAY-1')]);
      expect(state).toMatchObject({ committedCny: '60.00', disbursedCny: '60.00', availableCny: '40.00' });
    });

    it('refuses to pay more than committed, by one fen, also across several payments', () => {
      given(history)
        .when(pay('c1', '60.01', 'PAY-1'))
        .thenThrows(PaymentExceedsCommitment);
      given([...history, paid('c1', '50.00', 'PAY-1')])
        .when(pay('c1', '10.01', 'PAY-2'))
        .thenThrows(PaymentExceedsCommitment);
      given([...history, paid('c1', '50.00', 'PAY-1')])
        .when(pay('c1', '10.00', 'PAY-2'))
        .then([paid('c1', '10.00', 'PAY-2')]);
    });

    it('refuses a payment without a commitment, or on a released one', () => {
      given(history)
        .when(pay('c9', '1.00', 'PAY-1'))
        .thenThrows(CommitmentNotFound);
      given([...history, releasedEvent('c1', '60.00')])
        .when(pay('c1', '1.00', 'PAY-1'))
        .thenThrows(InvalidTransition);
    });

    it('an identical repeat of a payment decides nothing; the same reference for another payment is refused', () => {
      given([...history, paid('c1', '60.00', 'PAY-1')])
        .when(pay('c1', '60.00', 'PAY-1'))
        .then([]);
      given([...history, paid('c1', '20.00', 'PAY-1')])
        .when(pay('c1', '30.00', 'PAY-1'))
        .thenThrows(IdConflict);
    });
  });

  describe('properties over random command sequences', () => {
    const amount = fc.integer({ min: 1, max: 5_000_000 }).map((fen) => Money.ofMinor(fen, 'CNY').toString());
    const cid = fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6');
    const command: fc.Arbitrary<FundCommand> = fc.oneof(
      amount.map((a) => ({ type: 'AllocateFundBudget', data: { year: 2019, amountCny: a } }) as FundCommand),
      fc.tuple(cid, amount).map(([c, a]) => commit(c, a)),
      fc.tuple(cid, amount).map(([c, a]) => commit(c, a)),
      cid.map((c) => ({ type: 'ReleaseCommitment', data: { year: 2019, commitmentId: c, reason: 'r' } }) as FundCommand),
      fc.tuple(cid, amount, fc.constantFrom('p1', 'p2', 'p3', 'p4')).map(([c, a, p]) => pay(c, a, p)),
    );

    it('no sequence over-commits the fund or pays more than committed (committed <= appropriation, disbursed <= committed)', () => {
      fc.assert(
        fc.property(fc.array(command, { maxLength: 60, size: 'max' }), (commands) => {
          let state = fundDecider.initialState();
          const log: FundEvent[] = [];
          for (const c of commands) {
            let events: FundEvent[];
            try {
              events = fundDecider.decide(c, state);
            } catch (error) {
              if (!(error instanceof DomainError)) throw error; // a refusal is an answer, never a crash
              continue;
            }
            log.push(...events);
            state = evolveAll(fundDecider, events, state);
            const [a, k, d] = [state.appropriationCny, state.committedCny, state.disbursedCny].map((s) => Money.cny(s));
            // Plain checks, not expect(): thousands of runs.
            if (k.gt(a)) throw new Error(`over-committed: ${k} > ${a} after ${JSON.stringify(c)}`);
            if (d.gt(k)) throw new Error(`disbursed ${d} > committed ${k} after ${JSON.stringify(c)}`);
            if (!Money.cny(state.availableCny).add(k).equals(a)) throw new Error('available != appropriation - committed');
          }
          // Independent recount from the log: open commitments and payments.
          const open = new Map<string, bigint>();
          let disbursed = 0n;
          for (const e of log) {
            if (e.type === 'FundsCommitted') open.set(e.data.commitmentId, Money.cny(e.data.amountCny).minor);
            if (e.type === 'FundCommitmentReleased') open.delete(e.data.commitmentId);
            if (e.type === 'FundPaymentRecorded') disbursed += Money.cny(e.data.amountCny).minor;
          }
          expect(Money.cny(state.committedCny).minor).toBe([...open.values()].reduce((s, v) => s + v, 0n));
          expect(Money.cny(state.disbursedCny).minor).toBe(disbursed);
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('a commitment reduced in place (an unpaid award lowered after a customs revision)', () => {
  const reduce = (amountCny: string, reductionId = 'low-1'): FundCommand => ({
    type: 'ReduceCommitment',
    data: { year: 2019, commitmentId: 'c1', reductionId, amountCny, reason: '复核' },
  });
  const history = [allocated('100000.00'), committed('c1', '8000.00')];

  it('committed falls by the difference, available rises by it; the same reduction again is one', () => {
    const events = given(history).when(reduce('4000.00')).events();
    expect(events).toEqual([
      {
        type: 'FundCommitmentReduced',
        data: { year: 2019, commitmentId: 'c1', applicationId: 'app-c1', reductionId: 'low-1', amountCny: '4000.00', remainingCny: '4000.00', reason: '复核' },
      },
    ]);
    const state = evolveAll(fundDecider, [...history, ...events]);
    expect([state.committedCny, state.availableCny]).toEqual(['4000.00', '96000.00']);
    given([...history, ...events])
      .when(reduce('4000.00'))
      .then([]);
  });

  it('not once paid (that is a recovery), not to nothing (that is a release)', () => {
    given([...history, paid('c1', '8000.00', 'P-1')])
      .when(reduce('1000.00'))
      .thenThrows(InvalidTransition);
    given(history).when(reduce('8000.00')).thenThrows(InvalidCommand);
  });
});
