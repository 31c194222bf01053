import { caseStreamId, type MarkReviewOverdue } from '@cbec/domain';
import { deterministicId } from '@cbec/platform';
import { chinaDate } from '../calendar';
import type { ProcessEvent, ProcessState } from './process.state';

/**
 * The approval process's decisions, pure: `react(input, state) -> commands`. The input is a stored event
 * or a clock tick; the state is what `evolveProcess` built from the events so far.
 *
 * Routing (submission -> lead unit, objection -> lead unit, all approve -> ready for decision) is done by
 * the case decider itself in the same append; the process only records whose turn it is (see
 * process.state.ts) and issues no command for it, so nothing is routed twice. What only time can
 * trigger is the process's: a review past its due date (MarkReviewOverdue), and an award reservation
 * its approval never settled (ResumeApproval: the workflow completes or releases it).
 *
 * Every command's id is `deterministicId(causeEventId, commandName, target)`: replaying an event,
 * ticking twice, restarting, or a second instance deciding the same thing yields the same id, and the
 * store's deterministic event ids turn the repeat into a no-op.
 */

export interface Tick {
  type: 'Tick';
  /** ISO instant from the injected clock. */
  now: string;
}

export type ProcessInput = ProcessEvent | Tick;

interface Caused {
  commandId: string;
  /** The event that made the command necessary. */
  causationId: string;
  correlationId: string;
}

export interface MarkReviewOverdueCommand extends Caused {
  kind: 'MarkReviewOverdue';
  streamId: string;
  command: MarkReviewOverdue;
}

export interface ResumeApprovalCommand extends Caused {
  kind: 'ResumeApproval';
  reservationId: string;
  uscc: string;
  applicationId: string;
}

/**
 * 复核 of the decided awards a customs batch revised on one stream (one year's statistics). The import flags them
 * before it answers; this command, decided from the log, makes the flag durable: an import that crashed or failed
 * between storing its revisions and flagging is flagged here, retried by the outbox. The flags' ids derive from the
 * batch and the case, so flagging what the import already flagged repeats nothing.
 */
export interface FlagRechecksCommand extends Caused {
  kind: 'FlagRechecks';
  batchId: string;
  streamId: string;
}

export type ProcessCommand = MarkReviewOverdueCommand | ResumeApprovalCommand | FlagRechecksCommand;

export interface ReactOptions {
  /**
   * How long a reservation may stay unsettled before the process repairs it. The approval that made it
   * settles it within one request; anything older was cut off (crash, lost connection).
   */
  approvalGraceMs: number;
}

export const DEFAULT_APPROVAL_GRACE_MS = 60_000;

export function react(input: ProcessInput, state: ProcessState, options: ReactOptions): ProcessCommand[] {
  if (!isTick(input)) return revisedFigures(input);
  return [...overdueReviews(input, state), ...danglingReservations(input, state, options)];
}

/** A customs revision: the batch's awards on that stream are rechecked, once per batch and stream (the outbox keeps one command per id). */
function revisedFigures(event: ProcessEvent): FlagRechecksCommand[] {
  if (event.type !== 'CustomsStatisticsRevised') return [];
  const batchId = (event.data as { batchId?: unknown }).batchId;
  if (typeof batchId !== 'string') return [];
  return [
    {
      kind: 'FlagRechecks',
      commandId: deterministicId(batchId, 'FlagRechecks', event.streamId),
      causationId: event.eventId,
      correlationId: event.metadata.correlationId,
      batchId,
      streamId: event.streamId,
    },
  ];
}

function isTick(input: ProcessInput): input is Tick {
  return input.type === 'Tick' && typeof (input as Tick).now === 'string';
}

function overdueReviews(tick: Tick, state: ProcessState): MarkReviewOverdueCommand[] {
  const today = chinaDate(tick.now);
  const commands: MarkReviewOverdueCommand[] = [];
  for (const c of Object.values(state.cases)) {
    if (c.status !== 'under-review' || c.roundOpenedBy === null) continue;
    for (const review of c.reviews) {
      // Overdue from the day after the due date (Asia/Shanghai): the due day itself is still in time.
      if (review.overdue || today <= review.dueDate) continue;
      const target = `${c.applicationId}/${c.round}/${review.unit}`;
      commands.push({
        kind: 'MarkReviewOverdue',
        commandId: deterministicId(c.roundOpenedBy, 'MarkReviewOverdue', target),
        causationId: c.roundOpenedBy,
        correlationId: c.correlationId ?? c.roundOpenedBy,
        streamId: caseStreamId(c.applicationId),
        command: { type: 'MarkReviewOverdue', data: { unit: review.unit, round: c.round, asOfDate: today } },
      });
    }
  }
  return commands;
}

function danglingReservations(tick: Tick, state: ProcessState, options: ReactOptions): ResumeApprovalCommand[] {
  const now = Date.parse(tick.now);
  return Object.values(state.reservations)
    .filter((r) => now - Date.parse(r.reservedAt) >= options.approvalGraceMs)
    .map((r) => ({
      kind: 'ResumeApproval' as const,
      commandId: deterministicId(r.reservedBy, 'ResumeApproval', r.reservationId),
      causationId: r.reservedBy,
      correlationId: r.correlationId,
      reservationId: r.reservationId,
      uscc: r.uscc,
      applicationId: r.applicationId,
    }));
}
