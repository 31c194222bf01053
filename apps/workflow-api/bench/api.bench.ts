/**
 * `npm run bench:api`: the HTTP API under load over loopback (autocannon), next to the bare append rate
 * of the same store, measured in the same run (before and after the servers, averaged), and next to the
 * floor between them: Fastify alone appending the same event (http-floor.ts). A benchmark prints figures;
 * it asserts nothing.
 *
 *   npm run bench:api                                  # starts the server on a temp data dir (SQLite)
 *   npm run bench:api -- --url http://127.0.0.1:3000   # drives a running server; CBEC_DATA_DIR must be
 *                                                      # the server's (tokens are signed with its secret)
 * Options: --seconds 10 (per phase), --connections 10, --workers 1,2 (CBEC_WORKERS of the spawned server:
 * one server per count, measured one after the other; default 1 then 2). Last line: one JSON object of
 * every figure (the first count's under the top-level names, every count's in `byWorkers`).
 *   npm run bench:api -- --engine postgres             # one, two and three servers on one PostgreSQL database
 *                                                      # beside raw pg inserts (api-postgres.bench.ts)
 * Env: CBEC_SQLITE_SYNCHRONOUS=NORMAL (default FULL) for both the server and the bare append;
 * CBEC_BENCH_SERVER_NODE_ARGS="--cpu-prof ..." passes node flags to the spawned server (profiling).
 */
import type autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteEventStore } from '@cbec/event-store';
import { dataDirFromEnv, loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import { openEventStore } from '../src/event-store.factory';
import { APPLICANT_USCC, SUBMISSION_BODY as submission, submittedEvent } from './submission';
import { benchApiPostgres } from './api-postgres.bench';
import { cpuSecondsOf, flag, freePort, run, waitForHealth } from './bench-cli';

/**
 * The bench sends thousands of commands a minute under one token from one address: the rate limits stay
 * on (their cost is measured) with budgets no run reaches.
 */
const BENCH_RATE_LIMITS = { CBEC_RATE_COMMANDS_PER_USER: '1000000000', CBEC_RATE_COMMANDS_PER_IP: '1000000000' };

/**
 * The bare append the HTTP submission ends in: one ApplicationSubmitted (the same event shape and size)
 * to a new stream with expected version 'no-stream', `connections` appenders at once, on a store in its
 * own temp dir opened as the server opens its own (`openEventStore`: SQLite, the writer thread, group
 * commit, CBEC_SQLITE_SYNCHRONOUS or FULL). `writer: 'inline'` measures the store with its writer on the
 * calling thread instead (printed beside it: the server never runs that way, it would stall requests on
 * every fsync).
 */
async function bareAppendRate(
  seconds: number,
  connections: number,
  writer: 'server' | 'inline' = 'server',
): Promise<{ appendsPerSec: number; p50Ms: number; p99Ms: number; cpuMsPerAppend: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cbec-bench-append-'));
  const synchronous = process.env.CBEC_SQLITE_SYNCHRONOUS?.trim().toUpperCase() === 'NORMAL' ? 'NORMAL' : 'FULL';
  const store = writer === 'server' ? openEventStore(dir, { CBEC_SQLITE_SYNCHRONOUS: synchronous }) : openSqliteEventStore({ directory: dir, synchronous });
  const template = JSON.parse(submission) as Record<string, unknown>;
  const latencies: number[] = [];
  let count = 0;
  const until = Date.now() + seconds * 1000;
  const appender = async (): Promise<void> => {
    while (Date.now() < until) {
      const id = randomUUID();
      const event = submittedEvent(id, template);
      const t0 = process.hrtime.bigint();
      await store.append(`application-${id}`, [event], { expectedVersion: 'no-stream' });
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      count++;
    }
  };
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: connections }, appender));
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = (Date.now() - started) / 1000;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] * 100) / 100;
  const cpuMsPerAppend = Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, count)) * 1000) / 1000;
  return { appendsPerSec: Math.round(count / elapsed), p50Ms: pct(50), p99Ms: pct(99), cpuMsPerAppend };
}

/**
 * A fixed piece of CPU work (parse, re-serialise and hash the submission body 20,000 times, the kind of work
 * a request does), timed: the machine's speed in this run, so that figures of runs on different days or
 * spells can be set side by side (this machine's speed drifts by up to 2x within an hour).
 */
function cpuReferenceMs(): number {
  const work = (rounds: number): number => {
    let sink = 0;
    for (let i = 0; i < rounds; i++)
      sink += createHash('sha256')
        .update(JSON.stringify(JSON.parse(submission)))
        .digest()[0];
    return sink;
  };
  work(5_000); // compiled before it is timed
  const started = process.hrtime.bigint();
  if (work(20_000) < 0) console.log('unreachable'); // the result is used: the loop is not optimised away
  return Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
}

interface FloorFigures {
  submissionsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  cpuMsPerSubmission: number | null;
}

/**
 * The floor (http-floor.ts): Fastify alone appending the same event to a store opened as the server's,
 * driven exactly as the service's submissions are. Splits the HTTP/append ratio into what HTTP on
 * loopback with the writer thread costs at all, and what the service adds on top of it.
 */
async function measureFloor(seconds: number, connections: number): Promise<FloorFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbec-bench-floor-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [resolve(__dirname, 'http-floor.js')], {
    env: { ...process.env, PORT: String(port), CBEC_DATA_DIR: dataDir, ...BENCH_RATE_LIMITS },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealth(url, child);
    const load = (duration: number): autocannon.Options => ({
      url: `${url}/api/v1/applications`,
      method: 'POST',
      connections,
      duration,
      body: submission,
      headers: { 'content-type': 'application/json' },
    });
    await run(load(2));
    const cpuBefore = cpuSecondsOf(child.pid);
    const phase = await run(load(seconds));
    const cpuAfter = cpuSecondsOf(child.pid);
    return {
      submissionsPerSec: phase.requestsPerSec,
      p50Ms: phase.p50Ms,
      p99Ms: phase.p99Ms,
      errors: phase.errors,
      cpuMsPerSubmission: cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) * 1000 * 1000) / Math.max(1, phase.ok)) / 1000,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface ServerFigures {
  workers: number | null;
  submissionsPerSec: number;
  submissionP50Ms: number;
  submissionP99Ms: number;
  submissionErrors: number;
  inboxReadsPerSec: number;
  inboxP50Ms: number;
  inboxP99Ms: number;
  inboxErrors: number;
  readSideLagAfterSubmissionsMs: number;
  /** Server CPU (primary + every worker) per submission. */
  serverCpuMsPerSubmission: number | null;
}

/** The pids of `pid` and its children (the cluster workers), from /proc (Linux). */
function processTree(pid: number | undefined): number[] {
  if (pid === undefined || !existsSync('/proc')) return [];
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
  return [pid, ...children];
}

function cpuSecondsOfTree(pids: number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const s = cpuSecondsOf(pid);
    if (s === null) return null;
    total += s;
  }
  return pids.length ? total : null;
}

/** Starts the server with CBEC_WORKERS=workers on a temp data dir (or drives `given`), measures, stops it. */
async function measureServer(workers: number | null, given: string, seconds: number, connections: number): Promise<ServerFigures> {
  let url = given.replace(/\/$/, '');
  let child: ChildProcess | null = null;
  let tempDir: string | null = null;
  let dataDir = dataDirFromEnv();
  if (!url) {
    tempDir = mkdtempSync(join(tmpdir(), 'cbec-bench-api-'));
    dataDir = tempDir;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // CBEC_BENCH_SERVER_NODE_ARGS: extra node flags for the spawned server (e.g. a profiler preload).
    const nodeArgs = (process.env.CBEC_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    child = spawn(process.execPath, [...nodeArgs, resolve(__dirname, '../src/main.js')], {
      env: { ...process.env, PORT: String(port), CBEC_DATA_DIR: dataDir, CBEC_WORKERS: String(workers ?? 1), ...BENCH_RATE_LIMITS },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  try {
    await waitForHealth(url, child);
    // Every worker listens once the primary has started them all, one after another.
    if (child && (workers ?? 1) > 1) {
      const deadline = Date.now() + 60_000;
      while (processTree(child.pid).length < 1 + workers! && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 3000));
    }
    const secret = loadOrCreateJwtSecret(dataDir);
    const applicant = mintToken(secret, { sub: 'applicant-bench', unit: 'APPLICANT', role: 'applicant', uscc: APPLICANT_USCC });
    const finOfficer = mintToken(secret, { sub: 'fin-bench', unit: 'FIN', role: 'officer' });

    // Warm-up: JIT, statement caches, the read side's first rows.
    const warmup = await run({
      url: `${url}/api/v1/applications`,
      method: 'POST',
      connections,
      duration: 2,
      body: submission,
      headers: { authorization: `Bearer ${applicant}`, 'content-type': 'application/json' },
    });

    const pids = processTree(child?.pid);
    const cpuBefore = cpuSecondsOfTree(pids);
    const submissions = await run({
      url: `${url}/api/v1/applications`,
      method: 'POST',
      connections,
      duration: seconds,
      body: submission,
      headers: { authorization: `Bearer ${applicant}`, 'content-type': 'application/json' },
    });
    const cpuAfter = cpuSecondsOfTree(pids);
    const serverCpuMsPerSubmission =
      cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) * 1000 * 1000) / Math.max(1, submissions.ok)) / 1000;
    // Reads are measured once the read side has caught up with the writes (its lag is a figure of its own).
    const written = warmup.ok + submissions.ok;
    const catchUpStarted = Date.now();
    for (;;) {
      const res = await fetch(`${url}/api/v1/inbox?limit=1`, { headers: { authorization: `Bearer ${finOfficer}` } });
      const total = ((await res.json()) as { total?: number }).total ?? 0;
      if (total >= written || Date.now() - catchUpStarted > 120_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const readSideLagMs = Date.now() - catchUpStarted;
    const inbox = await run({
      url: `${url}/api/v1/inbox?limit=50`,
      method: 'GET',
      connections,
      duration: Math.max(3, Math.round(seconds / 2)),
      headers: { authorization: `Bearer ${finOfficer}` },
    });
    return {
      workers,
      submissionsPerSec: submissions.requestsPerSec,
      submissionP50Ms: submissions.p50Ms,
      submissionP99Ms: submissions.p99Ms,
      submissionErrors: submissions.errors,
      inboxReadsPerSec: inbox.requestsPerSec,
      inboxP50Ms: inbox.p50Ms,
      inboxP99Ms: inbox.p99Ms,
      inboxErrors: inbox.errors,
      readSideLagAfterSubmissionsMs: readSideLagMs,
      serverCpuMsPerSubmission,
    };
  } finally {
    if (child) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** --workers 1,2 (default): one spawned server per count, each measured the same way. */
function workerCounts(): number[] {
  const text = flag('workers', '1,2');
  const counts = text.split(',').map((t) => Number(t.trim()));
  if (!counts.length || counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--workers must be a worker count or a comma-separated list of them (each an integer >= 1), got ${JSON.stringify(text)}`);
  }
  return counts;
}

async function main(): Promise<void> {
  const engine = flag('engine', 'sqlite');
  if (engine === 'postgres') return benchApiPostgres();
  if (engine !== 'sqlite') throw new Error(`--engine must be sqlite or postgres, got ${JSON.stringify(engine)}`);
  const seconds = Number(flag('seconds', '10'));
  const connections = Number(flag('connections', '10'));
  const given = flag('url', '');
  const counts = given ? [null] : workerCounts();
  const appendSeconds = Math.max(3, Math.round(seconds / 2));
  // The bare append is measured before and after the servers, and the two are averaged: on a shared
  // machine the speed of the disk and the CPUs drifts over a run, and one measurement at one end of it
  // moved the ratio by up to a third.
  const referenceBefore = cpuReferenceMs();
  const appendBefore = await bareAppendRate(appendSeconds, connections);
  // The floor is spawned only with the servers (with --url the service runs elsewhere, perhaps elsewhere tuned).
  const floor = given ? null : await measureFloor(seconds, connections);
  const servers: ServerFigures[] = [];
  for (const workers of counts) servers.push(await measureServer(workers, given, seconds, connections));
  const appendAfter = await bareAppendRate(appendSeconds, connections);
  const inlineAppend = await bareAppendRate(appendSeconds, connections, 'inline');
  const referenceAfter = cpuReferenceMs();
  const mean = (a: number, b: number, digits: number): number => Math.round(((a + b) / 2) * 10 ** digits) / 10 ** digits;
  const append = {
    appendsPerSec: mean(appendBefore.appendsPerSec, appendAfter.appendsPerSec, 0),
    p50Ms: mean(appendBefore.p50Ms, appendAfter.p50Ms, 2),
    p99Ms: mean(appendBefore.p99Ms, appendAfter.p99Ms, 2),
    cpuMsPerAppend: mean(appendBefore.cpuMsPerAppend, appendAfter.cpuMsPerAppend, 3),
  };

  const withRatios = servers.map((f) => ({
    ...f,
    // Cost per submission over HTTP relative to the bare append it ends in (goal <= 3).
    httpToAppendCostRatio: Math.round((append.appendsPerSec / Math.max(1, f.submissionsPerSec)) * 100) / 100,
    // The same against the store with its writer inline (not how the server runs; earlier runs' baseline).
    httpToInlineAppendCostRatio: Math.round((inlineAppend.appendsPerSec / Math.max(1, f.submissionsPerSec)) * 100) / 100,
    // The same comparison in CPU time, which other load on the machine disturbs less than rates do.
    httpToAppendCpuRatio:
      f.serverCpuMsPerSubmission === null ? null : Math.round((f.serverCpuMsPerSubmission / Math.max(0.001, append.cpuMsPerAppend)) * 100) / 100,
    // The same ratio split: the floor's rate over the service's (what the service adds above Fastify + append).
    serviceToFloorCostRatio: floor === null ? null : Math.round((floor.submissionsPerSec / Math.max(1, f.submissionsPerSec)) * 100) / 100,
  }));
  const floorToAppendCostRatio = floor === null ? null : Math.round((append.appendsPerSec / Math.max(1, floor.submissionsPerSec)) * 100) / 100;
  const first = withRatios[0];
  const figures = {
    seconds,
    connections,
    target: given || 'spawned (SQLite, temp data dir)',
    sqliteSynchronous: process.env.CBEC_SQLITE_SYNCHRONOUS?.trim().toUpperCase() === 'NORMAL' ? 'NORMAL' : 'FULL',
    // The first server measured (CBEC_WORKERS=1 by default), under the names earlier runs printed.
    ...first,
    bareAppendsPerSec: append.appendsPerSec,
    bareAppendP50Ms: append.p50Ms,
    bareAppendP99Ms: append.p99Ms,
    bareAppendCpuMsPerAppend: append.cpuMsPerAppend,
    // The two measurements the figures above average (before and after the servers).
    bareAppendRuns: [appendBefore, appendAfter],
    // The store with its writer on the calling thread (openSqliteEventStore's default), after the servers.
    inlineWriterAppend: inlineAppend,
    // Fastify + the same append, nothing else (http-floor.ts), and the bare append's rate over it.
    floor,
    floorToAppendCostRatio,
    byWorkers: withRatios,
    // The machine's speed in this run: ms for a fixed piece of CPU work, before and after (lower = faster).
    cpuReferenceMs: [referenceBefore, referenceAfter],
    goals: { submissionsPerSec: '>= 1500', submissionP99Ms: '< 25', httpToAppendCostRatio: '<= 3' },
  };
  const label = (f: ServerFigures): string => (f.workers === null ? '' : ` ${f.workers}w`);
  const table: (string | number)[][] = [['measure', 'per second', 'p50 ms', 'p99 ms', 'errors']];
  for (const f of withRatios) {
    table.push([`POST /applications (HTTP)${label(f)}`, f.submissionsPerSec, f.submissionP50Ms, f.submissionP99Ms, f.submissionErrors]);
    table.push([`GET /inbox?limit=50 (HTTP)${label(f)}`, f.inboxReadsPerSec, f.inboxP50Ms, f.inboxP99Ms, f.inboxErrors]);
  }
  if (floor) table.push(['POST (Fastify + append only: the floor)', floor.submissionsPerSec, floor.p50Ms, floor.p99Ms, floor.errors]);
  table.push(['bare append, before the servers', appendBefore.appendsPerSec, appendBefore.p50Ms, appendBefore.p99Ms, 0]);
  table.push(['bare append, after the servers', appendAfter.appendsPerSec, appendAfter.p50Ms, appendAfter.p99Ms, 0]);
  table.push(['bare append (same store, same event)', append.appendsPerSec, append.p50Ms, append.p99Ms, 0]);
  table.push(['bare append, writer inline (not served)', inlineAppend.appendsPerSec, inlineAppend.p50Ms, inlineAppend.p99Ms, 0]);
  for (const row of table) console.log(row.map((c, i) => String(c).padEnd(i === 0 ? 40 : 12)).join(''));
  for (const f of withRatios) {
    console.log(
      `${f.workers === null ? 'server' : `CBEC_WORKERS=${f.workers}`}: HTTP/append cost ratio ${f.httpToAppendCostRatio} by rate (goal <= 3; ${f.httpToInlineAppendCostRatio} against the inline writer), ${f.httpToAppendCpuRatio ?? 'n/a'} by CPU time (server ${f.serverCpuMsPerSubmission ?? 'n/a'} ms per submission, bare append ${append.cpuMsPerAppend} ms); read side caught up ${f.readSideLagAfterSubmissionsMs} ms after the submissions`,
    );
  }
  if (floor) {
    console.log(
      `the floor (Fastify + the same append, nothing else): ${floorToAppendCostRatio} x the bare append by rate, ${floor.cpuMsPerSubmission ?? 'n/a'} ms CPU per submission; ` +
        withRatios.map((f) => `the service${label(f)} costs ${f.serviceToFloorCostRatio} x the floor`).join(', '),
    );
  }
  console.log(`machine speed: a fixed piece of CPU work took ${referenceBefore} ms before and ${referenceAfter} ms after (lower = faster)`);
  console.log(JSON.stringify(figures));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
