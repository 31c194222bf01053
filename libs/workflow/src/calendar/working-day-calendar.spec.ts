import fc from 'fast-check';
import { builtInCalendarPath, readCalendarFile } from './calendar-loader';
import { mergeCalendars } from './calendar-data';
import { reviewDueDate, isPastDue } from './review-due-date';
import { chinaDate, WorkingDayCalendar } from './working-day-calendar';

const builtIn = readCalendarFile(builtInCalendarPath());
const calendar = new WorkingDayCalendar(builtIn);

describe('the working-day calendar (infra/data/cn-workdays.json, 2019–2026)', () => {
  describe('given the 2019 National Day week (10/1–10/7 off, Sun 9/29 and Sat 10/12 worked)', () => {
    it('counts 10 working days from Fri 2019-09-27 to Wed 2019-10-16', () => {
      // 9/29 (Sun, 调休) 1, 9/30 2, [10/1–10/7 off], 10/8–10/11 3–6, 10/12 (Sat, 调休) 7, 10/14–10/16 8–10
      expect(calendar.addWorkingDays('2019-09-27', 10)).toEqual({ date: '2019-10-16', calendarMissing: [], notes: [] });
    });
    it('treats the make-up Sunday 2019-09-29 as a working day and the holiday Monday 2019-10-07 as a day off', () => {
      expect(calendar.day('2019-09-29')).toMatchObject({ working: true, kind: 'make-up-workday' });
      expect(calendar.day('2019-10-07')).toMatchObject({ working: false, kind: 'holiday' });
      expect(calendar.day('2019-10-13')).toMatchObject({ working: false, kind: 'weekend' });
    });
  });

  describe('given the Spring Festival', () => {
    it('2019: 5 working days from Thu 01-31 cross the make-up weekend 02-02/03 and the holiday 02-04–02-10', () => {
      expect(calendar.addWorkingDays('2019-01-31', 5).date).toBe('2019-02-12');
    });
    it('2020: the extension to 02-02 makes Sat 02-01 a day off, so the next working day after 01-23 is 02-03', () => {
      expect(calendar.isWorkingDay('2020-02-01')).toBe(false);
      expect(calendar.addWorkingDays('2020-01-23', 1).date).toBe('2020-02-03');
    });
    it('2024: 除夕 02-09 is a working day, and Sun 02-18 (调休) is the next one', () => {
      expect(calendar.addWorkingDays('2024-02-08', 2).date).toBe('2024-02-18');
    });
    it('2026: Sat 02-14 (调休) is worked, 02-15–02-23 are off', () => {
      expect(calendar.addWorkingDays('2026-02-12', 3).date).toBe('2026-02-24');
    });
  });

  describe('every year of the built-in calendar, checked by hand against its notice', () => {
    it.each([
      // National Day (with Mid-Autumn in 2020, 2023 and 2025): the first working day after 30 September
      ['2019-09-30', '2019-10-08'],
      ['2020-09-30', '2020-10-09'], // 10/1–10/8 off
      ['2021-09-30', '2021-10-08'],
      ['2022-09-30', '2022-10-08'], // Sat 10/8 is a make-up day
      ['2023-09-30', '2023-10-07'], // 9/29–10/6 off, Sat 10/7 worked
      ['2024-09-30', '2024-10-08'],
      ['2025-09-30', '2025-10-09'], // 10/1–10/8 off
      ['2026-09-30', '2026-10-08'],
      // Spring Festival
      ['2021-02-10', '2021-02-18'], // 2/11–2/17 off
      ['2022-01-28', '2022-01-29'], // Sat 1/29 worked
      ['2023-01-20', '2023-01-28'], // 1/21–1/27 off, Sat 1/28 worked
      ['2025-01-27', '2025-02-05'], // 1/28–2/4 off
    ])('the working day after %s is %s', (from, next) => {
      expect(calendar.addWorkingDays(from, 1)).toEqual({ date: next, calendarMissing: [], notes: [] });
    });
  });

  describe('given a date a notice of the following year names (2018-12-29, 调休 of the 2019 notice)', () => {
    it('knows it is a working day without a 2018 calendar, and says so for the other 2018 days it counted', () => {
      expect(calendar.day('2018-12-29')).toMatchObject({ working: true, calendarMissing: null });
      expect(calendar.addWorkingDays('2018-12-28', 1)).toEqual({ date: '2018-12-29', calendarMissing: [], notes: [] });
      expect(calendar.addWorkingDays('2018-12-27', 2)).toEqual({
        date: '2018-12-29',
        calendarMissing: [2018],
        notes: ['calendar-missing:2018'],
      });
    });
  });

  describe('given a deadline that crosses into 2027, a year with no calendar loaded', () => {
    it('counts Monday–Friday in 2027 and says so with calendar-missing:2027', () => {
      // 12/25 1, 12/28–12/31 2–5, 2027-01-01 (Fri, counted: no notice says otherwise) 6, 01/04–01/07 7–10
      expect(calendar.addWorkingDays('2026-12-24', 10)).toEqual({
        date: '2027-01-07',
        calendarMissing: [2027],
        notes: ['calendar-missing:2027'],
      });
    });
    it('stops saying so once the 2027 notice is loaded over the built-in calendar', () => {
      const with2027 = mergeCalendars([
        { source: 'built-in', data: builtIn },
        { source: '2027.json', data: { years: { '2027': { holidays: ['2027-01-01'], makeUpWorkdays: [] } } } },
      ]);
      expect(new WorkingDayCalendar(with2027.data).addWorkingDays('2026-12-24', 10)).toEqual({
        date: '2027-01-08',
        calendarMissing: [],
        notes: [],
      });
    });
    it('a count that stays inside covered years carries no note', () => {
      expect(calendar.workingDaysBetween('2026-12-01', '2026-12-31').notes).toEqual([]);
      expect(calendar.workingDaysBetween('2026-12-01', '2027-01-04')).toMatchObject({ calendarMissing: [2027] });
    });
  });

  describe('workingDaysBetween', () => {
    it('counts the working days in (from, to]: the National Day week of 2019 has 2 (9/29 and 9/30 are before it)', () => {
      expect(calendar.workingDaysBetween('2019-09-30', '2019-10-08').days).toBe(1);
      expect(calendar.workingDaysBetween('2019-09-28', '2019-10-08').days).toBe(3);
      expect(calendar.workingDaysBetween('2019-10-08', '2019-09-28').days).toBe(-3);
    });
    it('is the inverse of addWorkingDays for any start date 2018–2028 and any period up to 60 days', () => {
      const start = Date.UTC(2018, 0, 1) / 86_400_000;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 11 * 366 }), fc.integer({ min: 0, max: 60 }), (offset, n) => {
          const from = new Date((start + offset) * 86_400_000).toISOString().slice(0, 10);
          const due = calendar.addWorkingDays(from, n);
          const back = calendar.workingDaysBetween(from, due.date);
          return back.days === n && (n === 0 || calendar.isWorkingDay(due.date)) && back.notes.join() === due.notes.join();
        }),
      );
    });
  });

  describe('refusals', () => {
    it('names a date that does not exist', () => {
      expect(() => calendar.addWorkingDays('2019-02-30', 1)).toThrow(/date: "2019-02-30" is not a date/);
    });
    it('refuses a negative or fractional period', () => {
      expect(() => calendar.addWorkingDays('2019-02-01', -1)).toThrow(/integer between 0/);
      expect(() => calendar.addWorkingDays('2019-02-01', 1.5)).toThrow(/integer between 0/);
    });
  });
});

describe('review due dates (acceptance + policy.reviewPeriodWorkingDays, Asia/Shanghai)', () => {
  it("an acceptance at 2019-09-26T18:00Z is Friday 09-27 in Lu'an: 10 working days later is 2019-10-16", () => {
    expect(reviewDueDate('2019-09-26T18:00:00Z', 10, calendar)).toEqual({
      acceptedOn: '2019-09-27',
      date: '2019-10-16',
      calendarMissing: [],
      notes: [],
    });
  });
  it('a review is in time on its due date and overdue from midnight after it, Beijing time', () => {
    expect(isPastDue('2019-10-16', '2019-10-16T15:59:59Z')).toBe(false);
    expect(isPastDue('2019-10-16', '2019-10-16T16:00:00Z')).toBe(true);
  });
  it('chinaDate is UTC+8', () => {
    expect(chinaDate(new Date('2019-12-31T16:00:00Z'))).toBe('2020-01-01');
  });
});
