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

/**
 * 公示 of an approved award: from the approval day (Asia/Shanghai) until the `workingDays`-th working day
 * after it; the award may be paid from the next day on. Null when the policy publishes for 0 days.
 */
export function publicityPeriod(
  approvedAt: Date | string,
  workingDays: number,
  calendar: WorkingDayCalendar,
): { from: string; until: string; workingDays: number } | null {
  if (workingDays === 0) return null;
  const from = chinaDate(approvedAt);
  return { from, until: calendar.addWorkingDays(from, workingDays).date, workingDays };
}

/** The due date of a recovery order (追回) issued at `orderedAt`: `workingDays` working days later. */
export function recoveryDueDate(orderedAt: Date | string, workingDays: number, calendar: WorkingDayCalendar): string {
  return calendar.addWorkingDays(chinaDate(orderedAt), workingDays).date;
}
