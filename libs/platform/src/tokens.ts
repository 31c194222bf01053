/**
 * Nest injection tokens provided globally by the workflow app (workflow-shared contract). Strings, so
 * any module can inject them without importing the app.
 */
export const EVENT_STORE = 'EVENT_STORE';
export const CLOCK = 'CLOCK';
export const POLICY = 'POLICY';
export const DATA_DIR = 'DATA_DIR';
/**
 * Whether this process follows the log for the data dir (a boolean): projects the read models, folds the
 * approval process's state and signs the audit digests. True unless it is a cluster worker other than the
 * first (`CBEC_WORKERS`), which read what the first one committed in the shared files.
 */
export const FOLLOWS_LOG = 'FOLLOWS_LOG';
/**
 * `DATABASE_URL` (a string), or null: the stores with a PostgreSQL adapter live in that database, shared by
 * every server pointing at it, and the duties of one server at a time run under a lease there.
 */
export const DATABASE_URL = 'DATABASE_URL';

/** The only source of "now" on the write side: tests override `'CLOCK'` to move time explicitly. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
