export * from './calendar-data';
export * from './working-day-calendar';
export * from './calendar-loader';
export * from './review-due-date';
export * from './deadline.service';
export * from './calendar.module';
export * from './calendar-store';
export * from './postgres-calendar-store';
