import fc from 'fast-check';
import { deciderSpec, DomainError, evolveAll, IdConflict, InvalidCommand, InvalidTransition } from '../decider';
import type { ProgramId } from '../policy/programs';
import { Money } from '../shared/money';
import { usccCheckCharacter } from '../shared/uscc';
import type { BeneficiaryCommand } from './beneficiary.commands';
import { beneficiaryDecider } from './beneficiary.decider';
import { AlreadyAwarded, AwardRefusedByLedger, CapExceeded, NoDoubleBenefit, RecruitAlreadyCounted, ReservationNotFound } from './beneficiary.errors';
import type { AwardReserved, BeneficiaryEvent } from './beneficiary.events';
import { activeReservations } from './beneficiary.state';

const uscc = (first17: string): string => first17 + usccCheckCharacter(first17);
const ENTERPRISE = uscc('91341500MA2N00001');
const PLATFORM = uscc('91341500MA2P00002');
const OTHER_PLATFORM = uscc('91341500MA2P00003');
const given = deciderSpec(beneficiaryDecider);

const reserve = (
  reservationId: string,
  program: ProgramId,
  year: number,
  requestedCny: string,
  extra: Partial<Extract<BeneficiaryCommand, { type: 'ReserveAward' }>['data']> = {},
): BeneficiaryCommand => ({
  type: 'ReserveAward',
  data: { uscc: ENTERPRISE, reservationId, applicationId: `app-${reservationId}`, program, year, requestedCny, ...extra },
});

/** What the ledger holds after a successful reservation (decided by the decider itself, then checked). */
function reserved(history: BeneficiaryEvent[], command: BeneficiaryCommand): AwardReserved {
  const [event] = given(history).when(command).events();
  return event as AwardReserved;
}
/** What a confirmation or a release repeats of the reservation it settles. */
const settling = (r: AwardReserved) => ({
  uscc: r.data.uscc,
  reservationId: r.data.reservationId,
  applicationId: r.data.applicationId,
  program: r.data.program,
  year: r.data.year,
  amountCny: r.data.amountCny,
});
const confirmed = (r: AwardReserved): BeneficiaryEvent => ({
  type: 'ReservationConfirmed',
  data: settling(r),
});
const released = (r: AwardReserved, reason = 'fund over-committed'): BeneficiaryEvent => ({
  type: 'ReservationReleased',
  data: {
    ...settling(r),
    reason,
  },
});

describe('beneficiary ledger (stream beneficiary-<uscc>)', () => {
  it('an event type this version does not know leaves the ledger as it was', () => {
    const before = beneficiaryDecider.initialState();
    expect(beneficiaryDecider.evolve(before, { type: 'SomethingNew', data: {} } as unknown as BeneficiaryEvent)).toBe(before);
  });

  describe('reserving an award', () => {
    it('reserves the requested amount when no rule or cap limits it, with the trace of the checks', () => {
      const event = reserved([], reserve('r1', 'P2b', 2019, '4000.00'));
      expect(event).toMatchObject({
        type: 'AwardReserved',
        data: {
          uscc: ENTERPRISE,
          reservationId: 'r1',
          applicationId: 'app-r1',
          program: 'P2b',
          year: 2019,
          requestedCny: '4000.00',
          amountCny: '4000.00',
          computedCny: '4000.00',
          capApplied: null,
          policyVersion: 'LZB-2019-4',
        },
      });
      expect(event.data.trace.length).toBeGreaterThan(0);
    });

    it('E8: P2a ¥100,000.00 already approved for Y; P2b computes ¥240,000.00 -> reserved ¥100,000.00, cap recorded', () => {
      const p2a = reserved([], reserve('r1', 'P2a', 2019, '100000.00'));
      const history = [p2a, confirmed(p2a)];
      const p2b = reserved(history, reserve('r2', 'P2b', 2019, '240000.00'));
      expect(p2b.data).toMatchObject({ amountCny: '100000.00', computedCny: '240000.00' });
      expect(p2b.data.capApplied).toContain('四（二）');
      const state = evolveAll(beneficiaryDecider, [...history, p2b]);
      expect(activeReservations(state).map((r) => r.amountCny)).toEqual(['100000.00', '100000.00']);
    });

    it('cuts P2a to its ¥100,000.00 annual cap (E4: 70% = ¥105,000.00)', () => {
      expect(reserved([], reserve('r1', 'P2a', 2019, '105000.00')).data).toMatchObject({ amountCny: '100000.00', capApplied: expect.any(String) });
    });

    it('refuses when nothing remains under the article cap', () => {
      const p2b = reserved([], reserve('r1', 'P2b', 2019, '200000.00'));
      given([p2b])
        .when(reserve('r2', 'P2a', 2019, '1000.00'))
        .thenThrows(CapExceeded, { code: 'cap-exceeded', reason: 'cap-exhausted' });
    });

    it('E3: refuses P1 in a later year to an enterprise already awarded P1', () => {
      const p1 = reserved([], reserve('r1', 'P1', 2018, '50000.00'));
      given([p1, confirmed(p1)])
        .when(reserve('r2', 'P1', 2019, '50000.00'))
        .thenThrows(AlreadyAwarded, { code: 'already-awarded' });
    });

    it('E13: refuses P4 a second time to the same park', () => {
      const p4 = reserved([], reserve('r1', 'P4', 2019, '500000.00'));
      given([p4])
        .when(reserve('r2', 'P4', 2021, '500000.00'))
        .thenThrows(AlreadyAwarded);
    });

    it('E11: refuses P3a in a fourth consecutive year (period over)', () => {
      let history: BeneficiaryEvent[] = [];
      for (const year of [2019, 2020, 2021]) history = [...history, reserved(history, reserve(`r${year}`, 'P3a', year, '1000.00'))];
      given(history)
        .when(reserve('r2022', 'P3a', 2022, '1000.00'))
        .thenThrows(AwardRefusedByLedger, { reason: 'period-over' });
    });

    it('a released reservation no longer counts: P1 may be reserved again', () => {
      const p1 = reserved([], reserve('r1', 'P1', 2019, '50000.00'));
      expect(reserved([p1, released(p1)], reserve('r2', 'P1', 2019, '50000.00')).data.amountCny).toBe('50000.00');
    });

    it('an identical repeat of a reservation decides nothing (idempotent retry); its amount is in the state', () => {
      const p1 = reserved([], reserve('r1', 'P1', 2019, '50000.00'));
      const state = given([p1])
        .when(reserve('r1', 'P1', 2019, '50000.00'))
        .then([]);
      expect(state.reservations[0]).toMatchObject({ reservationId: 'r1', status: 'reserved', amountCny: '50000.00' });
    });

    it('refuses a reservation id reused for another request; a released one is not revived', () => {
      const p1 = reserved([], reserve('r1', 'P1', 2019, '50000.00'));
      given([p1])
        .when(reserve('r1', 'P1', 2019, '40000.00'))
        .thenThrows(IdConflict, { idField: 'reservationId', id: 'r1' });
      given([p1, released(p1)])
        .when(reserve('r1', 'P1', 2019, '50000.00'))
        .thenThrows(InvalidTransition, { status: 'released' });
    });

    it('refuses a zero request, money as a number, an unknown program, and a command for another USCC', () => {
      given([])
        .when(reserve('r1', 'P1', 2019, '0.00'))
        .thenThrows(InvalidCommand, { field: 'requestedCny' });
      given([])
        .when(reserve('r1', 'P1', 2019, 50000 as never))
        .thenThrows(InvalidCommand, { field: 'requestedCny' });
      given([])
        .when(reserve('r1', 'P7' as never, 2019, '1.00'))
        .thenThrows(InvalidCommand, { field: 'program' });
      const p1 = reserved([], reserve('r1', 'P1', 2019, '50000.00'));
      given([p1])
        .when({ type: 'ConfirmReservation', data: { uscc: PLATFORM, reservationId: 'r1' } })
        .thenThrows(InvalidCommand, { field: 'uscc' });
    });
  });

  describe('no double benefit (四（一）)', () => {
    const external: BeneficiaryEvent = {
      type: 'ExternalAwardRecorded',
      data: { uscc: ENTERPRISE, year: 2019, ref: 'COM-2019-17', amountCny: '30000.00', recordedBy: 'com-officer' },
    };

    it('records a municipal foreign-trade award; an identical repeat decides nothing; the same ref for another award is refused', () => {
      const record = (amountCny: string | null): BeneficiaryCommand => ({
        type: 'RecordExternalAward',
        data: { uscc: ENTERPRISE, year: 2019, ref: 'COM-2019-17', amountCny, recordedBy: 'com-officer' },
      });
      given([]).when(record('30000.00')).then([external]);
      given([external]).when(record('30000.00')).then([]);
      given([external]).when(record(null)).thenThrows(IdConflict);
    });

    it('refuses P1 for a year with a municipal foreign-trade award', () => {
      given([external])
        .when(reserve('r1', 'P1', 2019, '50000.00'))
        .thenThrows(NoDoubleBenefit, { reason: 'no-double-benefit' });
    });

    it('reserves P1 when the applicant waives the other award, or for another year', () => {
      expect(reserved([external], reserve('r1', 'P1', 2019, '50000.00', { waivesMunicipalAward: true })).data.amountCny).toBe('50000.00');
      expect(reserved([external], reserve('r1', 'P1', 2020, '50000.00')).data.amountCny).toBe('50000.00');
    });
  });

  describe('confirming and releasing', () => {
    const p1 = reserved([], reserve('r1', 'P1', 2019, '50000.00'));

    it('confirms a reservation; confirming again decides nothing', () => {
      const state = given([p1])
        .when({ type: 'ConfirmReservation', data: { uscc: ENTERPRISE, reservationId: 'r1' } })
        .then([confirmed(p1)]);
      expect(state.reservations[0].status).toBe('confirmed');
      given([p1, confirmed(p1)])
        .when({ type: 'ConfirmReservation', data: { uscc: ENTERPRISE, reservationId: 'r1' } })
        .then([]);
    });

    it('releases a reservation with its reason; releasing again decides nothing', () => {
      const release: BeneficiaryCommand = { type: 'ReleaseReservation', data: { uscc: ENTERPRISE, reservationId: 'r1', reason: 'fund over-committed' } };
      const state = given([p1])
        .when(release)
        .then([released(p1)]);
      expect(state.reservations[0]).toMatchObject({ status: 'released', releaseReason: 'fund over-committed' });
      given([p1, released(p1)])
        .when(release)
        .then([]);
    });

    it('refuses to confirm a released reservation or release a confirmed one', () => {
      given([p1, released(p1)])
        .when({ type: 'ConfirmReservation', data: { uscc: ENTERPRISE, reservationId: 'r1' } })
        .thenThrows(InvalidTransition);
      given([p1, confirmed(p1)])
        .when({ type: 'ReleaseReservation', data: { uscc: ENTERPRISE, reservationId: 'r1', reason: 'x' } })
        .thenThrows(InvalidTransition, { status: 'confirmed' });
    });

    it('refuses to confirm or release an unknown reservation', () => {
      given([])
        .when({ type: 'ConfirmReservation', data: { uscc: ENTERPRISE, reservationId: 'r9' } })
        .thenThrows(ReservationNotFound);
      given([])
        .when({ type: 'ReleaseReservation', data: { uscc: ENTERPRISE, reservationId: 'r9', reason: 'x' } })
        .thenThrows(ReservationNotFound);
    });
  });

  describe('P3b recruits (once, ever, for one platform only)', () => {
    const R1 = uscc('91341500MA2R00001');
    const R2 = uscc('91341500MA2R00002');
    const counted: BeneficiaryEvent = { type: 'RecruitCounted', data: { uscc: R1, platformUscc: PLATFORM, year: 2019, applicationId: 'app-1' } };
    const count = (platformUscc: string, applicationId = 'app-1'): BeneficiaryCommand => ({
      type: 'RecordRecruitCounted',
      data: { uscc: R1, platformUscc, year: 2019, applicationId },
    });

    it('counts an enterprise as a platform recruit once; an identical repeat decides nothing', () => {
      given([]).when(count(PLATFORM)).then([counted]);
      given([counted]).when(count(PLATFORM)).then([]);
    });

    it('refuses to count it for another platform, or again for another application', () => {
      given([counted]).when(count(OTHER_PLATFORM)).thenThrows(RecruitAlreadyCounted, { code: 'recruit-already-counted' });
      given([counted]).when(count(PLATFORM, 'app-2')).thenThrows(RecruitAlreadyCounted);
    });

    const releaseClaim = (platformUscc: string, applicationId = 'app-1'): BeneficiaryCommand => ({
      type: 'ReleaseRecruitClaim',
      data: { uscc: R1, platformUscc, applicationId, reason: 'recruit counted elsewhere' },
    });
    const claimReleased: BeneficiaryEvent = {
      type: 'RecruitClaimReleased',
      data: { uscc: R1, platformUscc: PLATFORM, year: 2019, applicationId: 'app-1', reason: 'recruit counted elsewhere' },
    };

    it('releases the claim of the approval that made it (compensation), after which another platform may count it', () => {
      given([counted]).when(releaseClaim(PLATFORM)).then([claimReleased]);
      expect(evolveAll(beneficiaryDecider, [counted, claimReleased]).countedAsRecruit).toBeNull();
      given([counted, claimReleased])
        .when(count(OTHER_PLATFORM))
        .then([{ ...counted, data: { ...counted.data, platformUscc: OTHER_PLATFORM } } as BeneficiaryEvent]);
    });

    it("decides nothing when asked to release a claim it does not hold for that approval: never made, released, another platform's", () => {
      given([]).when(releaseClaim(PLATFORM)).then([]);
      given([counted, claimReleased]).when(releaseClaim(PLATFORM)).then([]);
      given([counted]).when(releaseClaim(OTHER_PLATFORM)).then([]);
      given([counted]).when(releaseClaim(PLATFORM, 'app-2')).then([]);
    });

    it('keeps the claim in force when a release recorded for another claim is replayed (tolerant evolve)', () => {
      const stray = { ...claimReleased, data: { ...claimReleased.data, platformUscc: OTHER_PLATFORM } } as BeneficiaryEvent;
      expect(evolveAll(beneficiaryDecider, [counted, stray]).countedAsRecruit).toMatchObject({ platformUscc: PLATFORM });
    });

    it("refuses a platform's P3b award that counts a recruit of one of its earlier awards", () => {
      const first = reserved([], {
        ...reserve('r1', 'P3b', 2019, '20000.00', { recruits: [R1, R2] }),
        data: { ...reserve('r1', 'P3b', 2019, '20000.00', { recruits: [R1, R2] }).data, uscc: PLATFORM },
      } as BeneficiaryCommand);
      given([first])
        .when({
          ...reserve('r2', 'P3b', 2020, '10000.00', { recruits: [R2] }),
          data: { ...reserve('r2', 'P3b', 2020, '10000.00', { recruits: [R2] }).data, uscc: PLATFORM },
        } as BeneficiaryCommand)
        .thenThrows(AwardRefusedByLedger, { reason: 'already-awarded' });
    });
  });

  describe('properties over random command sequences', () => {
    const PROGRAMS: ProgramId[] = ['P1', 'P2a', 'P2b', 'P3a', 'P3b', 'P4'];
    const rid = fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8');
    const command: fc.Arbitrary<BeneficiaryCommand> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .tuple(rid, fc.constantFrom(...PROGRAMS), fc.integer({ min: 2019, max: 2022 }), fc.integer({ min: 1, max: 30_000_000 }))
          .map(([r, p, y, fen]) => reserve(r, p, y, Money.ofMinor(fen, 'CNY').toString())),
      },
      { weight: 1, arbitrary: rid.map((r) => ({ type: 'ConfirmReservation', data: { uscc: ENTERPRISE, reservationId: r } }) as BeneficiaryCommand) },
      {
        weight: 2,
        arbitrary: rid.map((r) => ({ type: 'ReleaseReservation', data: { uscc: ENTERPRISE, reservationId: r, reason: 'r' } }) as BeneficiaryCommand),
      },
    );
    const CAPS: [ProgramId[], bigint][] = [
      [['P2a'], 10_000_000n],
      [['P2a', 'P2b'], 20_000_000n],
      [['P3a'], 20_000_000n],
      [['P3b'], 20_000_000n],
    ];

    /** The first ledger invariant the active reservations break, or null (plain checks: thousands of runs). */
    function brokenInvariant(active: ReturnType<typeof activeReservations>): string | null {
      // P1 and P4: once per beneficiary, ever.
      for (const p of ['P1', 'P4']) if (active.filter((r) => r.program === p).length > 1) return `${p} held twice`;
      for (const year of [2019, 2020, 2021, 2022]) {
        const inYear = active.filter((r) => r.year === year);
        // Annual programs: once per beneficiary-year.
        for (const p of ['P2a', 'P2b', 'P3a', 'P3b']) if (inYear.filter((r) => r.program === p).length > 1) return `${p} held twice for ${year}`;
        for (const [programs, cap] of CAPS) {
          const sum = inYear.filter((r) => programs.includes(r.program)).reduce((s, r) => s + Money.cny(r.amountCny).minor, 0n);
          if (sum > cap) return `${programs.join('+')} ${year} holds ${sum} fen over the cap ${cap}`;
        }
      }
      // P3a: every active year within 3 consecutive years.
      const p3aYears = active.filter((r) => r.program === 'P3a').map((r) => r.year);
      if (p3aYears.length > 0 && Math.max(...p3aYears) - Math.min(...p3aYears) >= 3) return `P3a outside its 3-year period: ${p3aYears.join(',')}`;
      return null;
    }

    it('no sequence of reservations crosses a cap or holds a one-time award twice', () => {
      fc.assert(
        fc.property(fc.array(command, { maxLength: 50, size: 'max' }), (commands) => {
          let state = beneficiaryDecider.initialState();
          for (const c of commands) {
            try {
              state = evolveAll(beneficiaryDecider, beneficiaryDecider.decide(c, state), state);
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
            }
            const broken = brokenInvariant(activeReservations(state));
            if (broken) throw new Error(`${broken} after ${c.type} ${JSON.stringify(c.data)}`);
          }
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('an award adjusted in place (补发, or lowered after a customs revision)', () => {
  const p2a = reserved([], reserve('r-a', 'P2a', 2019, '100000.00'));
  const p2b = reserved([p2a, confirmed(p2a)], reserve('r-b', 'P2b', 2019, '60000.00'));
  const ledger = [p2a, confirmed(p2a), p2b, confirmed(p2b)];
  const adjust = (toCny: string, adjustmentId = 'adj-1'): BeneficiaryCommand => ({
    type: 'AdjustAward',
    data: { uscc: ENTERPRISE, reservationId: 'r-b', adjustmentId, toCny, reason: '复核' },
  });

  it('raised within the article cap over the enterprise’s other awards of the year (四（二）: ¥200,000 with the P2a award)', () => {
    const [raised] = given(ledger).when(adjust('100000.00')).events();
    expect(raised).toMatchObject({ type: 'AwardAdjusted', data: { fromCny: '60000.00', toCny: '100000.00', applicationId: 'app-r-b' } });
    given([...ledger, raised])
      .when(adjust('100000.00'))
      .then([]);
    const state = evolveAll(beneficiaryDecider, [...ledger, raised]);
    expect(activeReservations(state).find((r) => r.reservationId === 'r-b')!.amountCny).toBe('100000.00');
  });

  it('refused beyond what the caps leave (nothing changes); lowered always; only a decided award', () => {
    given(ledger).when(adjust('100000.01')).thenThrows(CapExceeded);
    expect(given(ledger).when(adjust('10000.00')).events()[0].data).toMatchObject({ fromCny: '60000.00', toCny: '10000.00' });
    given([p2a, confirmed(p2a), p2b])
      .when(adjust('10000.00'))
      .thenThrows(InvalidTransition);
  });
});
