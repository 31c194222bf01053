/**
 * `npm run bench:api -- --engine postgres`: submissions over HTTP to one, two and three servers sharing ONE
 * PostgreSQL database (each its own process, port and data folder; one mounted JWT secret), beside raw `pg`
 * inserts of the same event into a table of the same shape, measured in the same run (before and after the
 * servers, averaged). The database server is `DATABASE_URL` (default: the local one, trust auth); each server
 * count gets a fresh database of its own there, dropped after. A benchmark prints figures; it asserts nothing.
 *
 * Options: --servers 1,2,3 (default), --seconds 10 (per count), --connections 12 (in all, split across the
 * servers as a proxy would spread them). Last line: one JSON object of every figure.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mintToken } from '@cbec/platform';
import { admin, Raw, SERVER } from '../../../libs/event-store/bench/bench-store-postgres';
import { cpuSecondsOf, flag, freePort, type Phase, run, waitForHealth } from './bench-cli';
import { APPLICANT_USCC, SUBMISSION_BODY as submission, submittedEvent } from './submission';

const SECRET = randomBytes(32).toString('base64url');
const BENCH_RATE_LIMITS = { CBEC_RATE_COMMANDS_PER_USER: '1000000000', CBEC_RATE_COMMANDS_PER_IP: '1000000000' };

function databaseUrl(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cbec_bench_api_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return { url: databaseUrl(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** Raw pg: `connections` clients each inserting the submission's event, one autocommitted INSERT per event. */
async function rawInsertRate(seconds: number, connections: number): Promise<{ insertsPerSec: number }> {
  const database = await freshDatabase();
  const raws: Raw[] = [];
  try {
    // One after another: CREATE TABLE IF NOT EXISTS is not safe against itself run concurrently.
    for (let i = 0; i < connections; i++) raws.push(await Raw.open(database.url));
    const template = JSON.parse(submission) as Record<string, unknown>;
    let count = 0;
    const until = Date.now() + seconds * 1000;
    const started = Date.now();
    await Promise.all(
      raws.map(async (raw) => {
        while (Date.now() < until) {
          const id = randomUUID();
          await raw.append(`application-${id}`, [submittedEvent(id, template)]);
          count++;
        }
      }),
    );
    return { insertsPerSec: Math.round(count / ((Date.now() - started) / 1000)) };
  } finally {
    for (const raw of raws) await raw.close();
    await database.drop();
  }
}

interface ServersFigures {
  servers: number;
  submissionsPerSec: number;
  submissionP50Ms: number;
  submissionP99Ms: number;
  submissionErrors: number;
  /** CPU of every server process per submission (the database server's is not in it). */
  serverCpuMsPerSubmission: number | null;
}

async function measureServers(count: number, seconds: number, connections: number): Promise<ServersFigures> {
  const database = await freshDatabase();
  const root = mkdtempSync(join(tmpdir(), 'cbec-bench-api-pg-'));
  writeFileSync(join(root, 'jwt-secret'), SECRET, { mode: 0o600 });
  const children: Array<{ child: ChildProcess; url: string }> = [];
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, [resolve(__dirname, '../src/main.js')], {
        env: {
          ...process.env,
          PORT: String(port),
          CBEC_DATA_DIR: join(root, `server-${i}`),
          DATABASE_URL: database.url,
          CBEC_JWT_SECRET_FILE: join(root, 'jwt-secret'),
          CBEC_AUDIT_KEY_FILE: join(root, 'audit-signing-key.pem'),
          CBEC_WORKERS: '1',
          ...BENCH_RATE_LIMITS,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const url = `http://127.0.0.1:${port}`;
      children.push({ child, url });
      // The first server creates the schemas and the audit key; the others start once it answers.
      await waitForHealth(url, child);
    }
    const applicant = mintToken(SECRET, { sub: 'applicant-bench', unit: 'APPLICANT', role: 'applicant', uscc: APPLICANT_USCC });
    const load = (url: string, share: number, duration: number) =>
      run({
        url: `${url}/api/v1/applications`,
        method: 'POST',
        connections: share,
        duration,
        body: submission,
        headers: { authorization: `Bearer ${applicant}`, 'content-type': 'application/json' },
      });
    const shares = children.map((_, i) => Math.floor(connections / count) + (i < connections % count ? 1 : 0));
    await Promise.all(children.map((c, i) => load(c.url, shares[i], 2)));
    const cpu = (): number | null => {
      let total = 0;
      for (const { child } of children) {
        const seconds = cpuSecondsOf(child.pid);
        if (seconds === null) return null;
        total += seconds;
      }
      return total;
    };
    const cpuBefore = cpu();
    const phases: Phase[] = await Promise.all(children.map((c, i) => load(c.url, shares[i], seconds)));
    const cpuAfter = cpu();
    const ok = phases.reduce((n, p) => n + p.ok, 0);
    return {
      servers: count,
      submissionsPerSec: phases.reduce((n, p) => n + p.requestsPerSec, 0),
      // The median of the medians and the worst p99: autocannon reports percentiles per instance.
      submissionP50Ms: [...phases.map((p) => p.p50Ms)].sort((a, b) => a - b)[Math.floor(phases.length / 2)],
      submissionP99Ms: Math.max(...phases.map((p) => p.p99Ms)),
      submissionErrors: phases.reduce((n, p) => n + p.errors, 0),
      serverCpuMsPerSubmission: cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) * 1_000_000) / Math.max(1, ok)) / 1000,
    };
  } finally {
    for (const { child } of children) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
    rmSync(root, { recursive: true, force: true });
    await database.drop();
  }
}

export async function benchApiPostgres(): Promise<void> {
  const seconds = Number(flag('seconds', '10'));
  const connections = Number(flag('connections', '12'));
  const counts = flag('servers', '1,2,3')
    .split(',')
    .map((t) => Number(t.trim()));
  if (!counts.length || counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('--servers must be a comma-separated list of server counts (integers >= 1)');
  const synchronousCommit = await admin(async (c) => (await c.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0].synchronous_commit);
  const rawSeconds = Math.max(3, Math.round(seconds / 2));
  const rawBefore = await rawInsertRate(rawSeconds, connections);
  const byServers: ServersFigures[] = [];
  for (const count of counts) byServers.push(await measureServers(count, seconds, connections));
  const rawAfter = await rawInsertRate(rawSeconds, connections);
  const rawPgInsertsPerSec = Math.round((rawBefore.insertsPerSec + rawAfter.insertsPerSec) / 2);
  const one = byServers.find((f) => f.servers === 1);
  const most = byServers[byServers.length - 1];
  const figures = {
    engine: 'postgres',
    seconds,
    connections,
    synchronousCommit,
    rawPgInsertsPerSec,
    rawPgRuns: [rawBefore.insertsPerSec, rawAfter.insertsPerSec],
    byServers: byServers.map((f) => ({ ...f, toRawPg: Math.round((f.submissionsPerSec / Math.max(1, rawPgInsertsPerSec)) * 100) / 100 })),
    // Goal (issue 20): three servers' submissions above one server's.
    mostOverOneServer: one && most !== one ? Math.round((most.submissionsPerSec / Math.max(1, one.submissionsPerSec)) * 100) / 100 : null,
  };
  const table: (string | number)[][] = [['measure', 'per second', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/req']];
  for (const f of byServers)
    table.push([
      `POST /applications, ${f.servers} server(s)`,
      f.submissionsPerSec,
      f.submissionP50Ms,
      f.submissionP99Ms,
      f.submissionErrors,
      f.serverCpuMsPerSubmission ?? 'n/a',
    ]);
  table.push(['raw pg INSERT of the same event', rawPgInsertsPerSec, '', '', 0, '']);
  for (const row of table) console.log(row.map((c, i) => String(c).padEnd(i === 0 ? 40 : 12)).join(''));
  console.log(
    `synchronous_commit=${synchronousCommit}; ${connections} connections in all; ${most.servers} server(s) / 1 server = ${figures.mostOverOneServer ?? 'n/a'} (goal > 1)`,
  );
  console.log(JSON.stringify(figures));
}
