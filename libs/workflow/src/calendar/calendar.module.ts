import { Module } from '@nestjs/common';
import { DATA_DIR } from '@cbec/platform';
import { loadCalendar } from './calendar-loader';
import { DeadlineService } from './deadline.service';
import { WorkingDayCalendar } from './working-day-calendar';

/** The calendar (loaded once, from the built-in data, `<CBEC_DATA_DIR>/calendar/` and `CBEC_CALENDAR_FILE`) and the due dates. */
@Module({
  providers: [{ provide: WorkingDayCalendar, inject: [DATA_DIR], useFactory: (dataDir: string) => loadCalendar({ dataDir }).calendar }, DeadlineService],
  exports: [WorkingDayCalendar, DeadlineService],
})
export class CalendarModule {}
