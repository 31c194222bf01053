import { chinaDate, WorkingDayCalendar, WorkingDayResult } from './working-day-calendar';

/**
 * The due date of every review of a countersign round (会签): the acceptance date in Asia/Shanghai plus
 * the policy's review period in working days (`policy.reviewPeriodWorkingDays`). The acceptance day
 * itself is not counted. `notes` carries `calendar-missing:<year>` when the period reaches a year
 * without a loaded calendar (counted Monday–Friday): the case must show it.
 */
export function reviewDueDate(
  acceptedAt: Date | string,
  reviewPeriodWorkingDays: number,
  calendar: WorkingDayCalendar,
): WorkingDayResult & { acceptedOn: string } {
  const acceptedOn = chinaDate(acceptedAt);
  return { ...calendar.addWorkingDays(acceptedOn, reviewPeriodWorkingDays), acceptedOn };
}

/** A review is overdue from the first day after its due date (Asia/Shanghai): the due day itself is still in time. */
export function isPastDue(dueDate: string, now: Date | string): boolean {
  return chinaDate(now) > dueDate;
}
