import { CASE_EVENT_TYPES } from '@cbec/domain';
import type { CaseStatus, UnitCode } from '@cbec/domain';
import { chinaDate, WorkingDayCalendar } from '../calendar';

/**
 * What the approval process remembers, built only from the store's events (so it can be rebuilt from
 * the log): per case, whose turn it is and the review clocks of the current countersign round; per
 * award reservation on a beneficiary ledger, whether the approval that made it has settled it.
 */

export interface ReviewClock {
  unit: UnitCode;
  dueDate: string;
  /** ReviewOverdue is on the case for this (unit, round). */
  overdue: boolean;
}

export interface CaseProcess {
  applicationId: string;
  status: CaseStatus;
  leadUnit: UnitCode;
  cooperatingUnits: UnitCode[];
  beneficiaryUscc: string;
  /** Who acts next: the lead unit after submission, resubmission and objection; the reviewers during the round. */
  awaiting: string[];
  round: number;
  /** The CaseAccepted event that opened the round: the cause of every command about its deadlines. */
  roundOpenedBy: string | null;
  correlationId: string | null;
  acceptedOn: string | null;
  /** Pending reviews of the current round (answered ones leave). */
  reviews: ReviewClock[];
  /** `calendar-missing:<year>` when the round's deadline was counted Monday–Friday in a year without calendar. */
  calendarNotes: string[];
}

export interface ReservationWatch {
  reservationId: string;
  uscc: string;
  applicationId: string;
  /** occurredAt of AwardReserved (the injected clock of the writer). */
  reservedAt: string;
  reservedBy: string;
  correlationId: string;
  /** AwardApproved on the case names this reservation. */
  approved: boolean;
}

export interface ProcessState {
  cases: Record<string, CaseProcess>;
  /** Unsettled reservations only: a confirmed or released one leaves. */
  reservations: Record<string, ReservationWatch>;
}

export const emptyProcessState = (): ProcessState => ({ cases: {}, reservations: {} });

/** The part of a stored event the process reads. */
export interface ProcessEvent {
  eventId: string;
  type: string;
  streamId: string;
  data: unknown;
  metadata: { occurredAt: string; correlationId: string };
}

/** Event types the process subscribes to (the filter of its store subscription). */
export const PROCESS_EVENT_TYPES: readonly string[] = [
  ...CASE_EVENT_TYPES,
  'AwardReserved',
  'ReservationConfirmed',
  'ReservationReleased',
  // 复核: a revision decides a FlagRechecks command (react.ts); it changes no state.
  'CustomsStatisticsRevised',
];

/** The state rows an event touches: the manager loads just these. */
export function keysOf(event: ProcessEvent): { cases: string[]; reservations: string[] } {
  const d = (event.data ?? {}) as { applicationId?: unknown; reservationId?: unknown };
  const str = (v: unknown): string[] => (typeof v === 'string' ? [v] : []);
  const isReservationEvent = ['AwardReserved', 'ReservationConfirmed', 'ReservationReleased', 'AwardApproved'].includes(event.type);
  return {
    cases: event.streamId.startsWith('application-') ? str(d.applicationId) : [],
    reservations: isReservationEvent ? str(d.reservationId) : [],
  };
}

type Data = Record<string, unknown>;

/** Folds one stored event into the process state. Pure; the calendar is data. */
export function evolveProcess(state: ProcessState, event: ProcessEvent, calendar: WorkingDayCalendar): ProcessState {
  const d = event.data as Data;
  const id = d.applicationId as string;
  const current = state.cases[id];
  const withCase = (c: CaseProcess): ProcessState => ({ ...state, cases: { ...state.cases, [id]: c } });
  switch (event.type) {
    case 'ApplicationSubmitted':
      // The decider routed it (leadUnit is on the event): the process records whose turn it is.
      return withCase({
        applicationId: id,
        status: 'submitted',
        leadUnit: d.leadUnit as UnitCode,
        cooperatingUnits: d.cooperatingUnits as UnitCode[],
        beneficiaryUscc: ((d.beneficiary ?? {}) as { uscc?: string }).uscc ?? '',
        awaiting: [d.leadUnit as string],
        round: 0,
        roundOpenedBy: null,
        correlationId: event.metadata.correlationId,
        acceptedOn: null,
        reviews: [],
        calendarNotes: [],
      });
    case 'CaseAccepted': {
      if (!current) return state;
      const reviews = (d.reviews as Array<{ unit: UnitCode; dueDate: string }>).map((r) => ({
        unit: r.unit,
        dueDate: r.dueDate,
        overdue: false,
      }));
      const acceptedOn = chinaDate(event.metadata.occurredAt);
      return withCase({
        ...current,
        status: 'under-review',
        awaiting: reviews.map((r) => r.unit),
        round: d.round as number,
        roundOpenedBy: event.eventId,
        correlationId: event.metadata.correlationId,
        acceptedOn,
        reviews,
        calendarNotes: calendarNotesFor(acceptedOn, reviews, calendar),
      });
    }
    case 'ReviewOpinionRecorded': {
      if (!current || d.round !== current.round) return state;
      const reviews = current.reviews.filter((r) => r.unit !== d.unit);
      return withCase({ ...current, reviews, awaiting: reviews.map((r) => r.unit) });
    }
    case 'ReviewOverdue': {
      if (!current || d.round !== current.round) return state;
      return withCase({
        ...current,
        reviews: current.reviews.map((r) => (r.unit === d.unit ? { ...r, overdue: true } : r)),
      });
    }
    case 'ApplicationObjected':
      return current ? withCase({ ...current, status: 'objected', reviews: [], awaiting: [current.leadUnit] }) : state;
    case 'ApplicationReadyForDecision':
      return current ? withCase({ ...current, status: 'ready-for-decision', reviews: [], awaiting: [current.leadUnit] }) : state;
    case 'ApplicationReturned':
      return current ? withCase({ ...current, status: 'returned', reviews: [], awaiting: ['APPLICANT'] }) : state;
    case 'ApplicationResubmitted':
      return current ? withCase({ ...current, status: 'submitted', awaiting: [current.leadUnit] }) : state;
    case 'ApplicationRejected':
      return current ? withCase({ ...current, status: 'rejected', reviews: [], awaiting: [] }) : state;
    case 'AwardDisbursed':
      return current ? withCase({ ...current, status: 'disbursed', awaiting: [] }) : state;
    case 'AwardApproved': {
      // FIN pays (五（二）): the lead unit is FIN for every award program.
      const next = current ? withCase({ ...current, status: 'approved', awaiting: ['FIN'] }) : state;
      const watch = next.reservations[d.reservationId as string];
      return watch ? { ...next, reservations: { ...next.reservations, [watch.reservationId]: { ...watch, approved: true } } } : next;
    }
    case 'AwardReserved':
      return {
        ...state,
        reservations: {
          ...state.reservations,
          [d.reservationId as string]: {
            reservationId: d.reservationId as string,
            uscc: d.uscc as string,
            applicationId: d.applicationId as string,
            reservedAt: event.metadata.occurredAt,
            reservedBy: event.eventId,
            correlationId: event.metadata.correlationId,
            approved: false,
          },
        },
      };
    case 'ReservationConfirmed':
    case 'ReservationReleased': {
      const { [d.reservationId as string]: _settled, ...rest } = state.reservations;
      return { ...state, reservations: rest };
    }
    default:
      return state;
  }
}

function calendarNotesFor(acceptedOn: string, reviews: ReviewClock[], calendar: WorkingDayCalendar): string[] {
  const notes = new Set<string>();
  for (const r of reviews) {
    if (r.dueDate >= acceptedOn) for (const n of calendar.workingDaysBetween(acceptedOn, r.dueDate).notes) notes.add(n);
  }
  return [...notes].sort();
}
