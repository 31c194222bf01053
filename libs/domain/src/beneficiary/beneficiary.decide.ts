import {
  IdConflict,
  InvalidCommand,
  InvalidTransition,
  policyOf,
  programOf,
  requireCny,
  requireIsoDate,
  requireText,
  requireUscc,
  requireWithinLimit,
  requireYear,
} from '../decider';
import { isDivisionCode } from '../shared/division';
import { limitByLedger, recruitsAlreadyCounted, type AwardRecord } from '../policy/ledger-rules';
import { AMOUNT_LIMITS } from '../shared/amount-limits';
import { Money } from '../shared/money';
import { traceStep } from '../shared/trace';
import type { BeneficiaryCommand, ReserveAward } from './beneficiary.commands';
import { AlreadyAwarded, AwardRefusedByLedger, CapExceeded, NoDoubleBenefit, RecruitAlreadyCounted, ReservationNotFound } from './beneficiary.errors';
import type { BeneficiaryEvent } from './beneficiary.events';
import { activeReservations, type BeneficiaryState } from './beneficiary.state';

export function decideBeneficiary(command: BeneficiaryCommand, state: BeneficiaryState): BeneficiaryEvent[] {
  const uscc = requireUscc(command.data.uscc, 'uscc');
  if (state.uscc !== null && state.uscc !== uscc) {
    throw new InvalidCommand('uscc', `this is the ledger of ${state.uscc}, not ${uscc}`);
  }
  switch (command.type) {
    case 'ReserveAward':
      return reserve(uscc, command.data, state);
    case 'ConfirmReservation': {
      const reservationId = requireText(command.data.reservationId, 'reservationId');
      const r = state.reservations.find((x) => x.reservationId === reservationId);
      if (!r) throw new ReservationNotFound(uscc, reservationId);
      if (r.status === 'confirmed') return []; // identical repeat
      if (r.status === 'released') {
        throw new InvalidTransition('reservation', 'released', command.type, `reservation ${reservationId} was released`);
      }
      return [
        {
          type: 'ReservationConfirmed',
          data: { uscc, reservationId, applicationId: r.applicationId, program: r.program, year: r.year, amountCny: r.amountCny },
        },
      ];
    }
    case 'ReleaseReservation': {
      const reservationId = requireText(command.data.reservationId, 'reservationId');
      const reason = requireText(command.data.reason, 'reason');
      const r = state.reservations.find((x) => x.reservationId === reservationId);
      if (!r) throw new ReservationNotFound(uscc, reservationId);
      if (r.status === 'released') return []; // compensation is retried: releasing twice is one release
      // A confirmed reservation is a decided award: it is not undone by a compensation.
      if (r.status === 'confirmed') {
        throw new InvalidTransition('reservation', 'confirmed', command.type, `reservation ${reservationId} is confirmed`);
      }
      return [
        {
          type: 'ReservationReleased',
          data: {
            uscc,
            reservationId,
            applicationId: r.applicationId,
            program: r.program,
            year: r.year,
            amountCny: r.amountCny,
            reason,
          },
        },
      ];
    }
    case 'ReleaseAward': {
      const reservationId = requireText(command.data.reservationId, 'reservationId');
      const reason = requireText(command.data.reason, 'reason');
      const r = state.reservations.find((x) => x.reservationId === reservationId);
      if (!r) throw new ReservationNotFound(uscc, reservationId);
      if (r.status === 'released') return []; // repeated: released once
      if (r.status === 'reserved')
        throw new InvalidTransition('reservation', 'reserved', command.type, 'an award not yet decided is released by ReleaseReservation');
      const { applicationId, program, year, amountCny } = r;
      return [{ type: 'AwardReleased', data: { uscc, reservationId, applicationId, program, year, amountCny, reason } }];
    }
    case 'RecordAwardRepayment': {
      const reservationId = requireText(command.data.reservationId, 'reservationId');
      const repaymentRef = requireText(command.data.repaymentRef, 'repaymentRef');
      const amount = requireCny(command.data.amountCny, 'amountCny');
      const r = state.reservations.find((x) => x.reservationId === reservationId);
      if (!r) throw new ReservationNotFound(uscc, reservationId);
      if (r.repaymentRefs.includes(repaymentRef)) return []; // repeated
      if (r.status !== 'confirmed') throw new InvalidTransition('reservation', r.status, command.type, 'money is returned on a confirmed award');
      const held = Money.cny(r.amountCny);
      if (amount.isZero() || amount.gt(held))
        throw new InvalidCommand('amountCny', `must be more than 0.00 and at most the ${r.amountCny} the award counts for`);
      const { applicationId, program, year } = r;
      return [
        {
          type: 'AwardRepaid',
          data: { uscc, reservationId, applicationId, program, year, repaymentRef, amountCny: amount.toString(), remainingCny: held.sub(amount).toString() },
        },
      ];
    }
    case 'AdjustAward':
      return adjust(uscc, command.data, state);
    case 'RecordExternalAward': {
      const year = requireYear(command.data.year);
      const ref = requireText(command.data.ref, 'ref');
      const amount =
        command.data.amountCny === undefined || command.data.amountCny === null
          ? null
          : requireWithinLimit('amountCny', requireCny(command.data.amountCny, 'amountCny'), AMOUNT_LIMITS.externalAwardCny).toString();
      const recordedBy = requireText(command.data.recordedBy, 'recordedBy');
      const previous = state.externalAwards.find((a) => a.ref === ref);
      if (previous) {
        if (previous.year !== year || previous.amountCny !== amount) {
          throw new IdConflict('ref', ref, `it recorded ${previous.amountCny ?? 'an award'} for ${previous.year}`);
        }
        return [];
      }
      return [{ type: 'ExternalAwardRecorded', data: { uscc, year, ref, amountCny: amount, recordedBy } }];
    }
    case 'RecordRecruitCounted': {
      const platformUscc = requireUscc(command.data.platformUscc, 'platformUscc');
      const year = requireYear(command.data.year);
      const applicationId = requireText(command.data.applicationId, 'applicationId');
      const counted = state.countedAsRecruit;
      if (counted) {
        if (counted.platformUscc === platformUscc && counted.year === year && counted.applicationId === applicationId) return [];
        throw new RecruitAlreadyCounted(uscc, counted);
      }
      return [{ type: 'RecruitCounted', data: { uscc, platformUscc, year, applicationId } }];
    }
    case 'RecordRegistration': {
      const division = command.data.division;
      if (!isDivisionCode(division))
        throw new InvalidCommand('division', `must be a GB/T 2260 division code of six digits such as "341502", got ${JSON.stringify(division)}`);
      const date = requireIsoDate(command.data.date, 'date');
      const documentNo = requireText(command.data.documentNo, 'documentNo');
      const source = requireText(command.data.source, 'source');
      const recordedBy = requireText(command.data.recordedBy, 'recordedBy');
      const batchId = requireText(command.data.batchId, 'batchId');
      const previous = state.registrations.find((r) => r.documentNo === documentNo);
      if (previous) {
        if (previous.division !== division || previous.date !== date || previous.source !== source) {
          throw new IdConflict('documentNo', documentNo, `it recorded ${previous.division} from ${previous.date} (${previous.source})`);
        }
        return []; // the same extract imported again
      }
      return [{ type: 'RegistrationRecorded', data: { uscc, division, date, documentNo, source, recordedBy, batchId } }];
    }
    case 'ReleaseRecruitClaim': {
      const platformUscc = requireUscc(command.data.platformUscc, 'platformUscc');
      const applicationId = requireText(command.data.applicationId, 'applicationId');
      const reason = requireText(command.data.reason, 'reason');
      const counted = state.countedAsRecruit;
      // Compensation is retried and may run for a claim that was never made or is another platform's.
      if (!counted || counted.platformUscc !== platformUscc || counted.applicationId !== applicationId) return [];
      return [{ type: 'RecruitClaimReleased', data: { uscc, platformUscc, year: counted.year, applicationId, reason } }];
    }
  }
}

function reserve(uscc: string, data: ReserveAward['data'], state: BeneficiaryState): BeneficiaryEvent[] {
  const reservationId = requireText(data.reservationId, 'reservationId');
  const applicationId = requireText(data.applicationId, 'applicationId');
  const program = programOf(data.program);
  const year = requireYear(data.year);
  const requested = requireWithinLimit('requestedCny', requireCny(data.requestedCny, 'requestedCny'), AMOUNT_LIMITS.computedAwardCny);
  if (requested.isZero()) throw new InvalidCommand('requestedCny', 'must be more than 0.00');
  const policy = policyOf(data.policyVersion);
  const recruits = (data.recruits ?? []).map((r, i) => requireUscc(r, `recruits[${i}]`));
  if (recruits.length > 0 && program !== 'P3b') throw new InvalidCommand('recruits', 'only P3b counts recruits');

  const previous = state.reservations.find((r) => r.reservationId === reservationId);
  if (previous) {
    const same =
      previous.applicationId === applicationId && previous.program === program && previous.year === year && previous.requestedCny === requested.toString();
    if (!same) {
      throw new IdConflict(
        'reservationId',
        reservationId,
        `it reserved ${previous.program} ${previous.year} for ${previous.applicationId}, requested ${previous.requestedCny}`,
      );
    }
    if (previous.status === 'released') {
      throw new InvalidTransition('reservation', 'released', 'ReserveAward', `reservation ${reservationId} was released`);
    }
    return []; // identical repeat of a reservation in force: its amount is in the state
  }

  const history: AwardRecord[] = activeReservations(state).map((r) => ({
    program: r.program,
    year: r.year,
    amountCny: Money.cny(r.amountCny),
    ref: r.applicationId,
    ...(r.recruits.length > 0 ? { recruits: r.recruits } : {}),
  }));

  // 四（一）: 与市级外贸政策不重复享受, unless the applicant waives the other award.
  if (program === 'P1' && data.waivesMunicipalAward !== true) {
    const external = state.externalAwards.find((a) => a.year === year);
    if (external) {
      throw new NoDoubleBenefit([
        traceStep(
          'double-benefit-recorded',
          { year, amount: external.amountCny === null ? null : `CNY ${external.amountCny}` },
          `external-award:${external.ref}`,
          '四（一）',
        ),
      ]);
    }
  }

  // 四（三）: a recruit counts once, ever (this platform's own earlier P3b awards).
  if (program === 'P3b' && recruits.length > 0) {
    const counted = recruitsAlreadyCounted(history);
    const again = recruits.filter((r) => counted.has(r));
    if (again.length > 0) {
      throw new AwardRefusedByLedger(
        'already-awarded',
        again.map((r) => traceStep('recruit-already-counted', { recruit: r }, `award:${counted.get(r)!.record.ref ?? '?'}`, '四（三）')),
        `recruits already counted in an earlier award: ${again.join(', ')}`,
      );
    }
  }

  const check = limitByLedger(policy, program, year, requested, history);
  if (!check.ok) {
    if (check.reason === 'already-awarded') throw new AlreadyAwarded(check.trace);
    if (check.reason === 'cap-exhausted') throw new CapExceeded(check.trace);
    throw new AwardRefusedByLedger(check.reason, check.trace);
  }
  return [
    {
      type: 'AwardReserved',
      data: {
        uscc,
        reservationId,
        applicationId,
        program,
        year,
        requestedCny: requested.toString(),
        amountCny: check.amount.toString(),
        computedCny: check.computed.toString(),
        capApplied: check.capApplied,
        trace: check.trace,
        policyVersion: policy.version,
        ...(recruits.length > 0 ? { recruits } : {}),
      },
    },
  ];
}

/**
 * 补发 or lowering in place: the award's new amount, checked as a reservation would be now against the caps and
 * the article caps over the enterprise's other awards (the award itself left out, so it does not cap itself). A
 * raise beyond what the caps leave is refused (nothing changes); a lowering always fits.
 */
function adjust(uscc: string, data: Extract<BeneficiaryCommand, { type: 'AdjustAward' }>['data'], state: BeneficiaryState): BeneficiaryEvent[] {
  const reservationId = requireText(data.reservationId, 'reservationId');
  const adjustmentId = requireText(data.adjustmentId, 'adjustmentId');
  const reason = requireText(data.reason, 'reason');
  const to = requireWithinLimit('toCny', requireCny(data.toCny, 'toCny'), AMOUNT_LIMITS.computedAwardCny);
  const r = state.reservations.find((x) => x.reservationId === reservationId);
  if (!r) throw new ReservationNotFound(uscc, reservationId);
  if ((r.adjustmentIds ?? []).includes(adjustmentId)) return []; // repeated
  if (r.status !== 'confirmed') throw new InvalidTransition('reservation', r.status, 'AdjustAward', 'only a decided award is adjusted');
  const from = Money.cny(r.amountCny);
  if (to.equals(from)) return [];
  let trace: ReturnType<typeof limitByLedger>['trace'] = [];
  if (to.gt(from)) {
    const others: AwardRecord[] = activeReservations(state)
      .filter((x) => x.reservationId !== reservationId)
      .map((x) => ({ program: x.program, year: x.year, amountCny: Money.cny(x.amountCny), ref: x.applicationId }));
    const check = limitByLedger(policyOf(r.policyVersion), r.program, r.year, to, others);
    if (!check.ok) throw new AwardRefusedByLedger(check.reason, check.trace);
    if (check.amount.lt(to)) throw new CapExceeded(check.trace);
    trace = check.trace;
  }
  const { applicationId, program, year } = r;
  return [
    {
      type: 'AwardAdjusted',
      data: { uscc, reservationId, applicationId, program, year, adjustmentId, fromCny: from.toString(), toCny: to.toString(), reason, trace },
    },
  ];
}
