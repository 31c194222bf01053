import { caseDecider, CaseNotFound, DomainError, InvalidTransition, OverdueAlreadyRecorded, ReviewNotPending, ReviewNotYetDue } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { AggregateStore, CommandContext, WorkflowError, type Clock } from '@cbec/platform';
import type { FlagRechecksCommand, ProcessCommand, ResumeApprovalCommand } from './react';

/**
 * How the process's commands reach the streams. The outcome tells the outbox what to do:
 * - `done`: applied now, or already applied by an earlier attempt or another instance (same ids);
 * - `moot`: the case moved on (the review was answered, the round closed): nothing to do, ever;
 * - `not-yet`: the case says it is too early: forget it, a later tick decides it afresh.
 * Anything thrown is a failure worth retrying (a conflict that outlived its retries, a store hiccup).
 */
export type DispatchOutcome = { outcome: 'done' | 'moot' | 'not-yet'; detail?: string };

export interface ProcessDispatcher {
  dispatch(command: ProcessCommand): Promise<DispatchOutcome>;
}

/** The workflow's approval repair (completes or releases a reservation an interrupted approval left). */
export interface ApprovalResumer {
  resumeApproval(reservation: { reservationId: string; uscc: string; applicationId: string }, ctx: CommandContext): Promise<unknown>;
}

/** The workflow's 复核 finder: flags the decided awards a customs batch revised on these streams (idempotent). */
export interface RecheckFlagger {
  afterImport(batch: { batchId: string; revised: number; streams: Array<{ streamId: string }> }, ctx: CommandContext): Promise<{ flagged: string[] }>;
}

/** Who the process's events name as their actor: no person, the system's approval process. */
export const PROCESS_ACTOR: Actor = { user: 'approval-process', unit: 'SYSTEM', role: 'system' };

export class AggregateDispatcher implements ProcessDispatcher {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly clock: Clock,
    private readonly approvals: ApprovalResumer | null,
    private readonly rechecks: RecheckFlagger | null = null,
  ) {}

  async dispatch(command: ProcessCommand): Promise<DispatchOutcome> {
    const ctx: CommandContext = {
      commandId: command.commandId,
      correlationId: command.correlationId,
      causationId: command.causationId,
      actor: PROCESS_ACTOR,
      now: this.clock.now(),
    };
    switch (command.kind) {
      case 'MarkReviewOverdue':
        try {
          const result = await this.aggregates.execute(command.streamId, caseDecider, command.command, ctx);
          return { outcome: 'done', detail: result.repeated ? 'already applied' : undefined };
        } catch (error) {
          return this.refusal(error);
        }
      case 'ResumeApproval':
        return this.resume(command, ctx);
      case 'FlagRechecks':
        return this.flagRechecks(command, ctx);
    }
  }

  /** Anything thrown (a store error, a conflict that outlived its retries) leaves the command in the outbox, retried. */
  private async flagRechecks(command: FlagRechecksCommand, ctx: CommandContext): Promise<DispatchOutcome> {
    if (!this.rechecks) throw new Error('no recheck (复核) finder is registered to flag the awards a customs revision reaches');
    const { flagged } = await this.rechecks.afterImport({ batchId: command.batchId, revised: 1, streams: [{ streamId: command.streamId }] }, ctx);
    return { outcome: 'done', detail: flagged.length ? `flagged ${flagged.join(', ')}` : 'nothing left to flag' };
  }

  private async resume(command: ResumeApprovalCommand, ctx: CommandContext): Promise<DispatchOutcome> {
    if (!this.approvals) throw new Error('no approval process is registered to resume a dangling reservation');
    try {
      const result = await this.approvals.resumeApproval(
        { reservationId: command.reservationId, uscc: command.uscc, applicationId: command.applicationId },
        ctx,
      );
      const outcome = (result as { outcome?: unknown } | null)?.outcome;
      return { outcome: 'done', detail: typeof outcome === 'string' ? outcome : undefined };
    } catch (error) {
      return this.refusal(error);
    }
  }

  private refusal(error: unknown): DispatchOutcome {
    if (error instanceof ReviewNotYetDue) return { outcome: 'not-yet', detail: error.message };
    // A concurrent instance recorded it first, or the case moved on: the command has nothing left to do.
    if (error instanceof OverdueAlreadyRecorded || error instanceof ReviewNotPending || error instanceof InvalidTransition || error instanceof CaseNotFound) {
      return { outcome: error instanceof OverdueAlreadyRecorded ? 'done' : 'moot', detail: `${error.code}: ${error.message}` };
    }
    // Refused by the rules or gone (404): retrying cannot change the answer. A 409 conflict may.
    if ((error instanceof DomainError || error instanceof WorkflowError) && error.httpStatus !== 409) {
      return { outcome: 'moot', detail: `${error.code}: ${error.message}` };
    }
    throw error;
  }
}
