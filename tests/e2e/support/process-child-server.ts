import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import { PostgresEventStore, RecordedEvent, SqliteEventStore } from '@cbec/event-store';
import { engineEnv } from './e2e-engine';

/**
 * The BUILT server (`node dist/apps/workflow-api/src/main.js`) as a child process on loopback, for tests
 * that kill it (SIGKILL) and start it again, or run two of them on one data dir.
 */

export const ROOT = resolve(__dirname, '..', '..', '..');
export const MAIN = join(ROOT, 'dist', 'apps', 'workflow-api', 'src', 'main.js');

export function requireBuild(): void {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run "npm run -s build" first (npm test does)`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  output(): string;
  kill(): Promise<void>;
  url(path: string): string;
}

/** Preloaded by a crash test (`startServer(dir, env, { preload: KILL_AFTER_RESERVATION })`): the server dies right after a reservation. */
export const KILL_AFTER_RESERVATION = join(__dirname, 'kill-after-reservation.cjs');

export async function startServer(dataDir: string, env: Record<string, string> = {}, options: { preload?: string } = {}): Promise<ServerProcess> {
  requireBuild();
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // Only what the test says: nothing inherited from other tests in this worker or from the shell.
  for (const name of [
    'EVENTSTORE_CONNECTION_STRING',
    'DATABASE_URL',
    'KAFKA_BROKERS',
    'CBEC_PROCESS_TICK_MS',
    'CBEC_APPROVAL_GRACE_MS',
    'CBEC_CLOCK_OFFSET_MS',
    'CBEC_FIXED_NOW',
    'CBEC_ALLOW_CLOCK_OVERRIDE',
    'CBEC_CALENDAR_FILE',
  ]) {
    delete childEnv[name];
  }
  // A test that names the database (several servers on one) gets no database of the folder's own besides.
  const engine = env.DATABASE_URL ? {} : await engineEnv(dataDir);
  Object.assign(childEnv, { PORT: String(port), CBEC_DATA_DIR: dataDir }, engine, env);
  const child = spawn(process.execPath, [...(options.preload ? ['--require', options.preload] : []), MAIN], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const server: ServerProcess = {
    port,
    child,
    output: () => log,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(server.url('/health'));
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`server on port ${port} not healthy after 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function bearer(dataDir: string, unit: string, role: string, uscc?: string, user?: string): Record<string, string> {
  const token = mintToken(loadOrCreateJwtSecret(dataDir), { sub: user ?? `${unit.toLowerCase()}-${role}`, unit, role, ...(uscc ? { uscc } : {}) });
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
}

export async function call(
  server: ServerProcess,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Every event in the data dir's store (opened beside the running servers: SQLite WAL allows it), or in its database. */
export async function allEvents(dataDir: string): Promise<RecordedEvent[]> {
  const url = (await engineEnv(dataDir)).DATABASE_URL;
  const store = url
    ? await PostgresEventStore.open({ connectionString: url, logger: { error: () => undefined } })
    : new SqliteEventStore({ directory: dataDir, logger: { error: () => undefined } });
  try {
    const out: RecordedEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  } finally {
    await store.close();
  }
}

export async function eventually<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
