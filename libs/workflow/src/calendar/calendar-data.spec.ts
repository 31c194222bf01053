import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidCalendar, mergeCalendars, parseCalendarData } from './calendar-data';
import { builtInCalendarPath, folderCalendarStore, installCalendar, loadCalendar, readCalendarFile } from './calendar-loader';

function problemsOf(input: unknown): string[] {
  try {
    parseCalendarData(input, 'test.json');
  } catch (e) {
    if (e instanceof InvalidCalendar) return e.problems;
    throw e;
  }
  throw new Error('expected the calendar to be refused');
}

describe('a calendar file', () => {
  it('the built-in cn-workdays.json is valid and covers 2019–2026', () => {
    expect(Object.keys(readCalendarFile(builtInCalendarPath()).years)).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026']);
  });

  it('is refused, listing every problem, when dates, year keys or lists are wrong', () => {
    const problems = problemsOf({
      years: {
        '27': { holidays: [], makeUpWorkdays: [] },
        '2027': {
          holidays: ['2027-02-30', '2027-10-02', '2028-03-01', 20270101],
          makeUpWorkdays: ['2027-10-02', '2027-09-28'],
        },
        '2028': { holidays: 'none', makeUpWorkdays: [] },
      },
    });
    expect(problems).toEqual([
      'year key "27" is not a year between 2000 and 2100',
      'years.2027.holidays[0] "2027-02-30" is not a date YYYY-MM-DD',
      'years.2027.holidays[2] 2028-03-01 is outside 2027 (only late December 2026 or early January 2028 may be listed)',
      'years.2027.holidays[3] 20270101 is not a date YYYY-MM-DD',
      'years.2027.makeUpWorkdays[1] 2027-09-28 is a weekday: a make-up working day (调休) is a Saturday or Sunday',
      'years.2027: 2027-10-02 is listed both as a holiday and as a make-up working day',
      'years.2028.holidays must be an array of dates YYYY-MM-DD',
    ]);
  });

  it('is refused when one year lists as a holiday what another lists as a make-up day', () => {
    expect(
      problemsOf({
        years: {
          '2027': { holidays: [], makeUpWorkdays: ['2027-12-25'] },
          '2028': { holidays: ['2027-12-25'], makeUpWorkdays: [] },
        },
      }),
    ).toEqual(['2027-12-25 is a holiday in years.2028 and a make-up working day in years.2027']);
  });

  it('is refused when it is not a calendar document at all', () => {
    expect(problemsOf([])).toEqual(['must be a JSON object with a "years" object']);
    expect(problemsOf({ years: {} })).toEqual(['"years" is empty']);
  });

  it('a later layer replaces a year whole (a revised notice supersedes the original)', () => {
    const merged = mergeCalendars([
      { source: 'a', data: { years: { '2027': { holidays: ['2027-01-01'], makeUpWorkdays: [] } } } },
      { source: 'b', data: { years: { '2027': { holidays: ['2027-01-01', '2027-01-02'], makeUpWorkdays: [] } } } },
    ]);
    expect(merged.data.years['2027'].holidays).toEqual(['2027-01-01', '2027-01-02']);
    expect(merged.sources).toEqual({ '2027': 'b' });
  });
});

describe('loading a new year without a code change', () => {
  const file2027 = { years: { '2027': { notice: 'test notice', holidays: ['2027-01-01'], makeUpWorkdays: [] } } };

  it('given a file installed into <dataDir>/calendar, when the calendar loads, then 2027 is covered', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cbec-cal-'));
    const src = join(dataDir, 'cn-workdays-2027.json');
    writeFileSync(src, JSON.stringify(file2027));
    expect(loadCalendar({ dataDir, env: {} }).calendar.covers(2027)).toBe(false);

    const installed = await installCalendar(folderCalendarStore(dataDir), src, { env: {} });
    expect(installed).toMatchObject({ years: [2027], installedAs: join(dataDir, 'calendar', 'cn-workdays-2027.json') });
    expect(readdirSync(join(dataDir, 'calendar'))).toEqual(['cn-workdays-2027.json']);
    const loaded = loadCalendar({ dataDir, env: {} });
    expect(loaded.calendar.covers(2027)).toBe(true);
    expect(loaded.sources['2027']).toBe(installed.installedAs);
    expect(loaded.calendar.day('2027-01-01')).toMatchObject({ working: false, calendarMissing: null });
  });

  it('given CBEC_CALENDAR_FILE, it is merged over the built-in calendar', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-cal-'));
    const file = join(dir, 'extra.json');
    writeFileSync(file, JSON.stringify(file2027));
    expect(loadCalendar({ env: { CBEC_CALENDAR_FILE: file } }).calendar.coveredYears()).toContain(2027);
  });

  it('refuses to install a file that conflicts with the loaded calendar, and installs nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cbec-cal-'));
    const bad = join(dataDir, 'bad.json');
    // 2018-12-29 (Sat) is a make-up working day of the built-in 2019 notice.
    writeFileSync(bad, JSON.stringify({ years: { '2018': { holidays: ['2018-12-29'], makeUpWorkdays: [] } } }));
    await expect(installCalendar(folderCalendarStore(dataDir), bad, { env: {} })).rejects.toThrow(
      '2018-12-29 is a holiday in years.2018 and a make-up working day in years.2019',
    );
    expect(() => readdirSync(join(dataDir, 'calendar'))).toThrow(/ENOENT/);
  });
});
