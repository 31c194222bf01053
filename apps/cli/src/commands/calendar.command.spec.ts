import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIo, runCli } from '../cli';
import { calendarCommand } from './calendar.command';

function io(dataDir: string): CliIo & { outs: unknown[]; errs: unknown[] } {
  const outs: unknown[] = [];
  const errs: unknown[] = [];
  return { outs, errs, out: (v) => outs.push(v), err: (v) => errs.push(v), env: { CBEC_DATA_DIR: dataDir }, cwd: dataDir };
}

describe('cli calendar', () => {
  it("show: a covered year lists its notice's dates; a missing year says calendar-missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-cli-cal-'));
    const a = io(dir);
    expect(await runCli([calendarCommand], ['calendar', 'show', '2019'], a)).toBe(0);
    expect(a.outs[0]).toMatchObject({ year: 2019, covered: true, makeUpWorkdays: expect.arrayContaining(['2019-09-29', '2019-10-12']) });
    const b = io(dir);
    expect(await runCli([calendarCommand], ['calendar', 'show', '2027'], b)).toBe(0);
    expect(b.outs[0]).toMatchObject({ year: 2027, covered: false, note: 'calendar-missing:2027' });
  });

  it('load: a valid file is installed into the data dir and the year is covered from then on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-cli-cal-'));
    writeFileSync(join(dir, '2027.json'), JSON.stringify({ years: { '2027': { notice: 't', holidays: ['2027-01-01'], makeUpWorkdays: [] } } }));
    const a = io(dir);
    expect(await runCli([calendarCommand], ['calendar', 'load', '2027.json'], a)).toBe(0);
    expect(a.outs[0]).toMatchObject({ years: [2027], installedAs: join(dir, 'calendar', '2027.json') });
    const b = io(dir);
    await runCli([calendarCommand], ['calendar', 'show', '2027'], b);
    expect(b.outs[0]).toMatchObject({ covered: true, holidays: ['2027-01-01'], source: join(dir, 'calendar', '2027.json') });
  });

  it('load: a bad file is exit 2 with every problem, and nothing is installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-cli-cal-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ years: { '2027': { holidays: ['2027-13-01'], makeUpWorkdays: ['2027-01-04'] } } }));
    const a = io(dir);
    expect(await runCli([calendarCommand], ['calendar', 'load', 'bad.json'], a)).toBe(2);
    expect(a.errs[0]).toMatchObject({
      error: 'invalid calendar',
      problems: [
        'years.2027.holidays[0] "2027-13-01" is not a date YYYY-MM-DD',
        'years.2027.makeUpWorkdays[0] 2027-01-04 is a weekday: a make-up working day (调休) is a Saturday or Sunday',
      ],
    });
    const b = io(dir);
    await runCli([calendarCommand], ['calendar', 'show', '2027'], b);
    expect(b.outs[0]).toMatchObject({ covered: false });
  });

  it('names a bad subcommand or argument (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-cli-cal-'));
    const a = io(dir);
    expect(await runCli([calendarCommand], ['calendar', 'show', 'next-year'], a)).toBe(2);
    expect(a.errs[0]).toEqual({ error: 'calendar show needs a 4-digit year, got "next-year"' });
    expect(await runCli([calendarCommand], ['calendar', 'load'], a)).toBe(2);
    expect(await runCli([calendarCommand], ['calendar', 'drop'], a)).toBe(2);
    expect(await runCli([calendarCommand], ['calendar', 'load', 'missing.json'], a)).toBe(2);
    expect(a.errs[3]).toMatchObject({ error: 'invalid calendar', problems: [expect.stringMatching(/^cannot read/)] });
  });
});
