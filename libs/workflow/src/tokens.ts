/**
 * Nest injection tokens provided globally by the workflow app (workflow-shared contract). Strings, so
 * any module can inject them without importing the app.
 */
export const EVENT_STORE = 'EVENT_STORE';
export const CLOCK = 'CLOCK';
export const POLICY = 'POLICY';
export const DATA_DIR = 'DATA_DIR';

/** The only source of "now" on the write side: tests override `'CLOCK'` to move time explicitly. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
