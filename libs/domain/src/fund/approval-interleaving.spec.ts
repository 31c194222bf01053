import fc from 'fast-check';
import { beneficiaryDecider } from '../beneficiary/beneficiary.decider';
import type { BeneficiaryCommand } from '../beneficiary/beneficiary.commands';
import { activeReservations, type BeneficiaryState } from '../beneficiary/beneficiary.state';
import { DomainError, evolveAll } from '../decider';
import type { ProgramId } from '../policy/programs';
import { Money } from '../shared/money';
import { usccCheckCharacter } from '../shared/uscc';
import type { FundCommand } from './fund.commands';
import { fundDecider } from './fund.decider';
import { FundOverCommitted } from './fund.errors';
import type { FundState } from './fund.state';

/**
 * The approval steps as the workflow runs them (reserve on the ledger -> commit on the fund -> confirm;
 * release when the fund refuses), many approvals interleaved in any order: the ledgers' caps and the
 * fund's appropriation hold at every step, and once every approval has run to its end nothing dangles.
 */
const uscc = (first17: string): string => first17 + usccCheckCharacter(first17);
const BENEFICIARIES = [uscc('91341500MA2N00001'), uscc('91341500MA2N00002')];
const YEAR = 2019;

interface Approval {
  n: number;
  uscc: string;
  program: ProgramId;
  requestedCny: string;
  stage: 'start' | 'reserved' | 'committed' | 'confirmed' | 'released' | 'refused';
  held?: string;
}

interface World {
  ledgers: Record<string, BeneficiaryState>;
  fund: FundState;
}

function onLedger(world: World, command: BeneficiaryCommand): void {
  const state = world.ledgers[command.data.uscc];
  world.ledgers[command.data.uscc] = evolveAll(beneficiaryDecider, beneficiaryDecider.decide(command, state), state);
}

function onFund(world: World, command: FundCommand): void {
  world.fund = evolveAll(fundDecider, fundDecider.decide(command, world.fund), world.fund);
}

/** Advances one approval by one step; refusals are answers (DomainError), anything else fails the test. */
function advance(world: World, a: Approval): void {
  const reservationId = `rsv-${a.n}`;
  switch (a.stage) {
    case 'start':
      try {
        onLedger(world, {
          type: 'ReserveAward',
          data: { uscc: a.uscc, reservationId, applicationId: `app-${a.n}`, program: a.program, year: YEAR, requestedCny: a.requestedCny },
        });
        a.held = world.ledgers[a.uscc].reservations.find((r) => r.reservationId === reservationId)!.amountCny;
        a.stage = 'reserved';
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        a.stage = 'refused';
      }
      return;
    case 'reserved':
      try {
        onFund(world, { type: 'CommitFunds', data: { year: YEAR, commitmentId: `cmt-${a.n}`, applicationId: `app-${a.n}`, amountCny: a.held! } });
        a.stage = 'committed';
      } catch (error) {
        if (!(error instanceof FundOverCommitted)) throw error;
        onLedger(world, { type: 'ReleaseReservation', data: { uscc: a.uscc, reservationId, reason: 'fund-over-committed' } });
        a.stage = 'released';
      }
      return;
    case 'committed':
      onLedger(world, { type: 'ConfirmReservation', data: { uscc: a.uscc, reservationId } });
      a.stage = 'confirmed';
      return;
    default:
      return;
  }
}

const CAPS: [ProgramId[], bigint][] = [
  [['P2a'], 10_000_000n],
  [['P2a', 'P2b'], 20_000_000n],
  [['P3a'], 20_000_000n],
  [['P3b'], 20_000_000n],
];

function checkInvariants(world: World): void {
  const f = world.fund;
  if (Money.cny(f.committedCny).gt(Money.cny(f.appropriationCny))) throw new Error(`fund over-committed: ${f.committedCny}`);
  for (const [who, ledger] of Object.entries(world.ledgers)) {
    const active = activeReservations(ledger);
    for (const p of ['P1', 'P4']) if (active.filter((r) => r.program === p).length > 1) throw new Error(`${who}: ${p} twice`);
    for (const [programs, cap] of CAPS) {
      const sum = active.filter((r) => programs.includes(r.program)).reduce((s, r) => s + Money.cny(r.amountCny).minor, 0n);
      if (sum > cap) throw new Error(`${who}: ${programs.join('+')} holds ${sum} fen over ${cap}`);
    }
  }
}

describe('approval steps interleaved across the ledgers and the fund', () => {
  const approval = fc.record({
    uscc: fc.constantFrom(...BENEFICIARIES),
    program: fc.constantFrom<ProgramId>('P1', 'P2a', 'P2b', 'P3a', 'P3b', 'P4'),
    fen: fc.integer({ min: 1, max: 30_000_000 }),
  });

  it('no interleaving crosses a cap or the appropriation, and every approval ends confirmed with its commitment or released without one', () => {
    fc.assert(
      fc.property(
        fc.array(approval, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.array(fc.nat(), { maxLength: 60, size: 'max' }),
        (specs, appropriationFen, schedule) => {
          const world: World = {
            ledgers: Object.fromEntries(BENEFICIARIES.map((b) => [b, beneficiaryDecider.initialState()])),
            fund: fundDecider.initialState(),
          };
          if (appropriationFen > 0) {
            onFund(world, { type: 'AllocateFundBudget', data: { year: YEAR, amountCny: Money.ofMinor(appropriationFen, 'CNY').toString() } });
          }
          const approvals: Approval[] = specs.map((s, n) => ({
            n,
            uscc: s.uscc,
            program: s.program,
            requestedCny: Money.ofMinor(s.fen, 'CNY').toString(),
            stage: 'start',
          }));
          for (const pick of schedule) {
            advance(world, approvals[pick % approvals.length]);
            checkInvariants(world);
          }
          // Every approval runs to its end (what the process does after a crash).
          for (const a of approvals) for (let i = 0; i < 3; i++) advance(world, a);
          checkInvariants(world);
          for (const a of approvals) {
            const reservation = world.ledgers[a.uscc].reservations.find((r) => r.reservationId === `rsv-${a.n}`);
            const commitment = world.fund.commitments.get(`cmt-${a.n}`);
            if (a.stage === 'confirmed') {
              if (reservation?.status !== 'confirmed') throw new Error(`approval ${a.n}: reservation not confirmed`);
              if (commitment?.status !== 'open' || commitment.amountCny !== reservation.amountCny) {
                throw new Error(`approval ${a.n}: commitment does not match the reservation`);
              }
            } else {
              if (reservation && reservation.status !== 'released') throw new Error(`approval ${a.n}: dangling reservation`);
              if (commitment) throw new Error(`approval ${a.n}: commitment without an award`);
            }
          }
          const confirmedTotal = Object.values(world.ledgers)
            .flatMap((l) => l.reservations)
            .filter((r) => r.status === 'confirmed')
            .reduce((s, r) => s + Money.cny(r.amountCny).minor, 0n);
          if (Money.cny(world.fund.committedCny).minor !== confirmedTotal) throw new Error('fund commitments != confirmed awards');
        },
      ),
      { numRuns: 1500 },
    );
  });
});
