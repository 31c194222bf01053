import { Inject, Injectable } from '@nestjs/common';
import type { Policy } from '@cbec/domain';
import { POLICY } from '@cbec/platform';
import { reviewDueDate } from './review-due-date';
import { WorkingDayCalendar } from './working-day-calendar';

/**
 * Review due dates: acceptance + `policy.reviewPeriodWorkingDays` on the working-day calendar. The one
 * place the app holds the calendar: AcceptCase and the approval process both use it.
 */
@Injectable()
export class DeadlineService {
  constructor(
    readonly calendar: WorkingDayCalendar,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  /** `notes` holds `calendar-missing:<year>` when the period reaches a year without a calendar (counted Monday–Friday). */
  reviewDueDate(acceptedAt: Date): { dueDate: string; notes: string[] } {
    const due = reviewDueDate(acceptedAt, this.policy.reviewPeriodWorkingDays, this.calendar);
    return { dueDate: due.date, notes: due.notes };
  }
}
