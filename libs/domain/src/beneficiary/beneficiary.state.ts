import { type AwardReserved, BENEFICIARY_EVENT_TYPES, type BeneficiaryEvent } from './beneficiary.events';

/** A reservation as its AwardReserved event holds it (the stream names the beneficiary), and what became of it. */
export interface LedgerReservation extends Omit<AwardReserved['data'], 'uscc' | 'recruits'> {
  /** P3b recruits; empty for other programs. */
  recruits: string[];
  /** reserved and confirmed count against caps and one-time rules; released does not. */
  status: 'reserved' | 'confirmed' | 'released';
  releaseReason: string | null;
  /** Money returned on the award (追回), by repayment reference. */
  repaymentRefs: string[];
  /** Changes of the amount in place (补发, lowering after a revision), by adjustment id. */
  adjustmentIds: string[];
}

export interface LedgerExternalAward {
  year: number;
  ref: string;
  amountCny: string | null;
  recordedBy: string;
}

/** One entry of the beneficiary register (RegistrationRecorded). */
export interface LedgerRegistration {
  division: string;
  date: string;
  documentNo: string;
  source: string;
  recordedBy: string;
  batchId: string;
}

export interface BeneficiaryState {
  uscc: string | null;
  /** The beneficiary register's entries, in stream order. */
  registrations: LedgerRegistration[];
  /** In stream order. */
  reservations: LedgerReservation[];
  externalAwards: LedgerExternalAward[];
  /** P3b: set when this enterprise was counted as some platform's recruit. */
  countedAsRecruit: { platformUscc: string; year: number; applicationId: string } | null;
}

export const initialBeneficiaryState = (): BeneficiaryState => ({
  uscc: null,
  registrations: [],
  reservations: [],
  externalAwards: [],
  countedAsRecruit: null,
});

export function evolveBeneficiary(state: BeneficiaryState, event: BeneficiaryEvent): BeneficiaryState {
  if (!(BENEFICIARY_EVENT_TYPES as readonly string[]).includes(event.type)) return state;
  const base = { ...state, uscc: event.data.uscc };
  switch (event.type) {
    case 'AwardReserved': {
      const d = event.data;
      return {
        ...base,
        reservations: [
          ...state.reservations,
          {
            reservationId: d.reservationId,
            applicationId: d.applicationId,
            program: d.program,
            year: d.year,
            requestedCny: d.requestedCny,
            amountCny: d.amountCny,
            computedCny: d.computedCny,
            capApplied: d.capApplied,
            trace: d.trace,
            policyVersion: d.policyVersion,
            recruits: d.recruits ?? [],
            status: 'reserved',
            releaseReason: null,
            repaymentRefs: [],
            adjustmentIds: [],
          },
        ],
      };
    }
    case 'ReservationConfirmed':
      return {
        ...base,
        reservations: state.reservations.map((r) => (r.reservationId === event.data.reservationId ? { ...r, status: 'confirmed' } : r)),
      };
    case 'ReservationReleased':
      return {
        ...base,
        reservations: state.reservations.map((r) =>
          r.reservationId === event.data.reservationId ? { ...r, status: 'released', releaseReason: event.data.reason } : r,
        ),
      };
    case 'AwardReleased':
      return {
        ...base,
        reservations: state.reservations.map((r) =>
          r.reservationId === event.data.reservationId ? { ...r, status: 'released', releaseReason: event.data.reason } : r,
        ),
      };
    case 'AwardRepaid': {
      const { reservationId, repaymentRef, remainingCny } = event.data;
      return {
        ...base,
        reservations: state.reservations.map((r) =>
          r.reservationId === reservationId
            ? {
                ...r,
                amountCny: remainingCny,
                repaymentRefs: [...r.repaymentRefs, repaymentRef],
                ...(remainingCny === '0.00' ? { status: 'released' as const, releaseReason: 'repaid' } : {}),
              }
            : r,
        ),
      };
    }
    case 'AwardAdjusted': {
      const { reservationId, adjustmentId, toCny } = event.data;
      return {
        ...base,
        reservations: state.reservations.map((r) =>
          r.reservationId === reservationId ? { ...r, amountCny: toCny, adjustmentIds: [...(r.adjustmentIds ?? []), adjustmentId] } : r,
        ),
      };
    }
    case 'ExternalAwardRecorded': {
      const { year, ref, amountCny, recordedBy } = event.data;
      return { ...base, externalAwards: [...state.externalAwards, { year, ref, amountCny, recordedBy }] };
    }
    case 'RecruitCounted': {
      const { platformUscc, year, applicationId } = event.data;
      return { ...base, countedAsRecruit: { platformUscc, year, applicationId } };
    }
    case 'RegistrationRecorded': {
      const { division, date, documentNo, source, recordedBy, batchId } = event.data;
      return { ...base, registrations: [...state.registrations, { division, date, documentNo, source, recordedBy, batchId }] };
    }
    case 'RecruitClaimReleased': {
      // Tolerant: a release that does not match the claim in force leaves it as it is.
      const c = state.countedAsRecruit;
      const matches = c !== null && c.platformUscc === event.data.platformUscc && c.applicationId === event.data.applicationId;
      return { ...base, countedAsRecruit: matches ? null : c };
    }
  }
}

/** The reservations that count against caps and one-time rules (reserved or confirmed). */
export const activeReservations = (state: BeneficiaryState): LedgerReservation[] => state.reservations.filter((r) => r.status !== 'released');

/**
 * The register's entry in force at the end of award `year` (31 December): the latest dated on or before
 * it (of two the same day, the one recorded later). Null when the register says nothing of that year.
 */
export function registrationInYear(state: Pick<BeneficiaryState, 'registrations'>, year: number): LedgerRegistration | null {
  const yearEnd = `${String(year).padStart(4, '0')}-12-31`;
  let found: LedgerRegistration | null = null;
  for (const r of state.registrations) if (r.date <= yearEnd && (found === null || r.date >= found.date)) found = r;
  return found;
}
