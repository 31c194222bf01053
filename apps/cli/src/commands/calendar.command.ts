import { resolve } from 'node:path';
import { dataDirFromEnv } from '../../../../libs/platform/src/auth/jwt-secret';
import {
  calendarMissingNote,
  calendarStoreFor,
  CalendarStore,
  InvalidCalendar,
  installCalendar,
  loadCalendarFrom,
} from '../../../../libs/workflow/src/calendar';
import { CliCommand, CliIo, CliUsageError, parseFlags } from '../cli';

/**
 * `calendar load FILE`: validates a working-day calendar file (format of infra/data/cn-workdays.json) and
 * installs it where the servers pick it up at their next start: `<CBEC_DATA_DIR>/calendar/`, or with
 * DATABASE_URL the database every server on it reads (calendar-store.ts).
 * `calendar show YEAR`: the holidays and make-up working days in force for YEAR, and where they come from,
 * read from the same place a server started now would read.
 */
export const calendarCommand: CliCommand = {
  name: 'calendar',
  usage: 'calendar load <file.json> | calendar show <year>',
  async run(args, io) {
    const { positional } = parseFlags(args);
    const [sub, arg, ...rest] = positional;
    if (rest.length > 0) throw new CliUsageError(`unexpected arguments: ${rest.join(' ')}`);
    if (sub !== 'load' && sub !== 'show')
      throw new CliUsageError(`calendar: unknown subcommand ${JSON.stringify(sub ?? null)}; use "load <file.json>" or "show <year>"`);
    if (sub === 'load' && !arg) throw new CliUsageError('calendar load needs a file: calendar load <file.json>');
    if (sub === 'show' && (!arg || !/^\d{4}$/.test(arg))) throw new CliUsageError(`calendar show needs a 4-digit year, got ${JSON.stringify(arg ?? null)}`);
    const store = calendarStoreFor(dataDirFromEnv(io.env, io.cwd), io.env);
    try {
      if (sub === 'show') return await show(Number(arg), store, io);
      try {
        const result = await installCalendar(store, resolve(io.cwd, arg), { env: io.env, cwd: io.cwd });
        io.out({ loaded: resolve(io.cwd, arg), ...result });
        return 0;
      } catch (e) {
        if (e instanceof InvalidCalendar) {
          io.err({ error: 'invalid calendar', file: e.source, problems: e.problems });
          return 2;
        }
        throw e;
      }
    } finally {
      await store.close();
    }
  },
};

async function show(year: number, store: CalendarStore, io: CliIo): Promise<0> {
  const { calendar, sources } = await loadCalendarFrom(store, { env: io.env, cwd: io.cwd });
  const entry = calendar.data.years[String(year)];
  const workingDays = calendar.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`);
  if (!entry) {
    io.out({
      year,
      covered: false,
      note: calendarMissingNote(year),
      detail: `no calendar loaded for ${year}: deadlines count Monday–Friday and say so; load the year's notice with "calendar load <file.json>"`,
      coveredYears: calendar.coveredYears(),
      workingDays: workingDays.days,
    });
    return 0;
  }
  io.out({
    year,
    covered: true,
    source: sources[String(year)],
    notice: entry.notice ?? null,
    holidays: entry.holidays,
    makeUpWorkdays: entry.makeUpWorkdays,
    workingDays: workingDays.days,
  });
  return 0;
}
