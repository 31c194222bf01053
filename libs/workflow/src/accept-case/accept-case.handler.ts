import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId } from '@cbec/domain';
import { DeadlineService } from '../calendar';
import { AggregateStore } from '@cbec/platform';
import { CommandAnswer, caseGuard } from '../shared/command-answer';
import { AcceptCaseCommand } from './accept-case.command';

export interface AcceptCaseAnswer extends CommandAnswer {
  dueDate: string;
  /** `calendar-missing:<year>` when the review period reaches a year without a loaded calendar. */
  notes: string[];
}

@CommandHandler(AcceptCaseCommand)
export class AcceptCaseHandler implements ICommandHandler<AcceptCaseCommand, AcceptCaseAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly deadlines: DeadlineService,
  ) {}

  async execute({ applicationId, ctx, expectedVersion }: AcceptCaseCommand): Promise<AcceptCaseAnswer> {
    // Every cooperating unit is due the policy's review period in working days after acceptance (会签).
    const { dueDate, notes } = this.deadlines.reviewDueDate(ctx.now);
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'AcceptCase', data: { dueDate, acceptedBy: ctx.actor.user, ...(notes.length ? { calendarNotes: notes } : {}) } },
      ctx,
      { expectedVersion, guard: caseGuard(ctx.actor, 'accept-case') },
    );
    return { applicationId, version: result.version, position: result.position, dueDate, notes };
  }
}
