import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, Policy } from '@cbec/domain';
import { loadCalendar, reviewDueDate, WorkingDayCalendar } from '../calendar';
import { AggregateStore } from '../shared/aggregate-store';
import { CommandAnswer, caseGuard } from '../shared/command-answer';
import { DATA_DIR, POLICY } from '../tokens';
import { AcceptCaseCommand } from './accept-case.command';

export interface AcceptCaseAnswer extends CommandAnswer {
  dueDate: string;
  /** `calendar-missing:<year>` when the review period reaches a year without a loaded calendar. */
  notes: string[];
}

@CommandHandler(AcceptCaseCommand)
export class AcceptCaseHandler implements ICommandHandler<AcceptCaseCommand, AcceptCaseAnswer> {
  private calendar: WorkingDayCalendar | null = null;

  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(POLICY) private readonly policy: Policy,
    @Inject(DATA_DIR) private readonly dataDir: string,
  ) {}

  async execute({ applicationId, ctx, expectedVersion }: AcceptCaseCommand): Promise<AcceptCaseAnswer> {
    // Every cooperating unit is due the policy's review period in working days after acceptance (会签).
    this.calendar ??= loadCalendar({ dataDir: this.dataDir }).calendar;
    const due = reviewDueDate(ctx.now, this.policy.reviewPeriodWorkingDays, this.calendar);
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'AcceptCase', data: { dueDate: due.date, acceptedBy: ctx.actor.user } },
      ctx,
      { expectedVersion, guard: caseGuard(ctx.actor, 'accept-case'), metadata: due.notes.length ? { notes: due.notes } : undefined },
    );
    return { applicationId, version: result.version, position: result.position, dueDate: due.date, notes: due.notes };
  }
}
