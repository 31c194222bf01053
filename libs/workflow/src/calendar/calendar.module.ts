import { Logger, Module } from '@nestjs/common';
import { DATA_DIR, DATABASE_URL } from '@cbec/platform';
import { folderCalendarStore, loadCalendar, loadCalendarFromDatabase } from './calendar-loader';
import { DeadlineService } from './deadline.service';
import { WorkingDayCalendar } from './working-day-calendar';

/**
 * The calendar, loaded once at start: the built-in data, then the loaded calendars (`<CBEC_DATA_DIR>/calendar/`,
 * or with DATABASE_URL the database's, which every server on it shares), then `CBEC_CALENDAR_FILE`; and the due dates.
 * The database is read asynchronously, and Nest awaits the provider before anything that counts a deadline is
 * built, so the app serves only once the calendar is in; the data folder is read synchronously, as it always was.
 */
@Module({
  providers: [
    {
      provide: WorkingDayCalendar,
      inject: [DATA_DIR, { token: DATABASE_URL, optional: true }],
      useFactory: (dataDir: string, databaseUrl: string | null | undefined): WorkingDayCalendar | Promise<WorkingDayCalendar> => {
        if (!databaseUrl) return loadCalendar({ dataDir }).calendar;
        // Files loaded into this folder before DATABASE_URL was set would otherwise be dropped without a word.
        const ignored = folderCalendarStore(dataDir).files();
        if (ignored.length > 0)
          new Logger('WorkingDayCalendar').warn(
            `DATABASE_URL is set, so the loaded calendars are the database's; not read: ${ignored.join(', ')}. ` +
              'Load them with "cli calendar load <file>" and DATABASE_URL set (docs/operations.md, "The working-day calendar").',
          );
        return loadCalendarFromDatabase(databaseUrl).then((loaded) => loaded.calendar);
      },
    },
    DeadlineService,
  ],
  exports: [WorkingDayCalendar, DeadlineService],
})
export class CalendarModule {}
