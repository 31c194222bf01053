import type { LogLevel } from '@nestjs/common';

/** Nest's log levels per `CBEC_LOG_LEVEL` (default `warn`: the ~70 route-mapping lines are `log`). */
const LEVELS: Record<string, LogLevel[]> = {
  debug: ['error', 'warn', 'log', 'debug'],
  log: ['error', 'warn', 'log'],
  warn: ['error', 'warn'],
  error: ['error'],
};

export class LogLevelSettingError extends Error {}

export function nestLogLevels(env: NodeJS.ProcessEnv = process.env): LogLevel[] {
  const raw = env.CBEC_LOG_LEVEL?.trim().toLowerCase() || 'warn';
  const levels = LEVELS[raw];
  if (!levels) {
    throw new LogLevelSettingError(`CBEC_LOG_LEVEL must be one of debug, log, warn, error; got ${JSON.stringify(env.CBEC_LOG_LEVEL)}`);
  }
  return levels;
}

/** The one line `npm start` prints once the server takes requests. */
export function startupLine(port: number, dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const store = env.DATABASE_URL?.trim()
    ? 'PostgreSQL (DATABASE_URL)'
    : env.EVENTSTORE_CONNECTION_STRING?.trim()
      ? 'EventStoreDB (EVENTSTORE_CONNECTION_STRING)'
      : 'SQLite';
  const url = `http://localhost:${port}`;
  return `workflow-api listening on ${url} · data: ${dataDir} · store: ${store} · OpenAPI: ${url}/api/docs`;
}

/**
 * The line `npm start` adds while the data folder has no account: how to create the first administrator
 * (docs/operations.md, "Accounts"). Null once any account exists.
 */
export function firstAccountLine(dataDir: string, hasAccounts: boolean): string | null {
  if (hasAccounts) return null;
  return `no accounts yet: create the first administrator with  echo '<password>' | CBEC_DATA_DIR=${dataDir} npm run --silent cli -- users add --username admin --unit ADMIN --role admin --password-stdin`;
}
