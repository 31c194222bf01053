/**
 * `npm run bench:store`: the SQLite event store against raw better-sqlite3 (the ceiling) and the peer
 * @event-driven-io/emmett-sqlite 0.38.5 (installed by this script into bench/store/peer, out of the main
 * install). A benchmark prints figures; it asserts nothing. Last line: one JSON object of every figure.
 *
 * Same data shapes everywhere: ~400-byte events (data + metadata JSON) over 2,000 streams.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NewEvent } from '../src/event-store.port';
import { MIGRATIONS } from '../src/sqlite/migrations';
import { SqliteEventStore } from '../src/sqlite/sqlite-event-store';

type Sync = 'FULL' | 'NORMAL';
export const STREAMS = 2000;
const scale = Number(process.env.BENCH_SCALE ?? '1');
const COUNTS = {
  single: { FULL: Math.round(4000 * scale), NORMAL: Math.round(30000 * scale) },
  batches: Math.round(500 * scale),
  concurrentPerAppender: Math.round(100 * scale),
  readStreamRepeats: 20,
  peerSingle: Math.round(400 * scale),
  peerBatches: Math.round(20 * scale),
};
const root = resolve(__dirname, '../../..');
const peerDir = join(root, 'bench/store/peer');
const figures: Record<string, number | string | null> = {};
const rows: string[][] = [];

export function makeEvent(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'ApplicationSubmitted',
    data: {
      applicationId: `app-${i}`,
      uscc: '91341500MA2T8X7Q1K',
      program: 'P1',
      amountMinor: String(1_000_000 + i),
      items: [{ code: 'A1', qty: i % 7 }],
      note: 'cross-border e-commerce award application, Lu an',
    },
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      commandId: randomUUID(),
      actor: { user: 'u-001', unit: 'COM', role: 'clerk' },
      occurredAt: '2026-11-25T08:00:00.000Z',
      policyVersion: '2019-4',
    },
  };
}
export const eventBytes = Buffer.byteLength(JSON.stringify(makeEvent(1).data) + JSON.stringify(makeEvent(1).metadata));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Measured {
  eventsPerSec: number;
  p50Ms?: number;
  p99Ms?: number;
}

async function timed(events: number, run: (lap: (ms: number) => void) => Promise<void> | void): Promise<Measured> {
  const laps: number[] = [];
  const start = process.hrtime.bigint();
  await run((ms) => laps.push(ms));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  laps.sort((a, b) => a - b);
  return laps.length ? { eventsPerSec: events / seconds, p50Ms: percentile(laps, 50), p99Ms: percentile(laps, 99) } : { eventsPerSec: events / seconds };
}

const now = () => process.hrtime.bigint();
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cbec-bench-'));
}

// ---------------------------------------------------------------- raw better-sqlite3 (the ceiling)

class Raw {
  readonly dir = tempDir();
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly versions = new Map<string, number>();
  private readonly appendTx: (streamId: string, events: NewEvent[], recordedAt: string) => void;
  constructor(sync: Sync) {
    this.db = new Database(join(this.dir, 'raw.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${sync}`);
    this.db.exec(MIGRATIONS[0].sql);
    this.insert = this.db.prepare(
      'INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.appendTx = this.db.transaction((streamId: string, events: NewEvent[], recordedAt: string) => {
      for (const e of events) this.row(streamId, e, recordedAt);
    });
  }
  private row(streamId: string, e: NewEvent, recordedAt: string): void {
    const version = (this.versions.get(streamId) ?? -1) + 1;
    this.versions.set(streamId, version);
    this.insert.run(streamId, version, e.eventId, e.type, 1, JSON.stringify(e.data), JSON.stringify(e.metadata), recordedAt, HASH, HASH);
  }
  /** One transaction per call (better-sqlite3's own transaction wrapper: prepared BEGIN/COMMIT). */
  append(streamId: string, events: NewEvent[]): void {
    this.appendTx(streamId, events, new Date().toISOString());
  }
  readAllParsed(): number {
    let n = 0;
    for (const r of this.db.prepare('SELECT * FROM events ORDER BY global_position').iterate() as Iterable<Record<string, unknown>>) {
      const e = { ...r, data: JSON.parse(r.data as string), metadata: JSON.parse(r.metadata as string) };
      if (e) n++;
    }
    return n;
  }
  readStreamParsed(streamId: string): number {
    const rows = this.db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY version').all(streamId) as Record<string, unknown>[];
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data as string), metadata: JSON.parse(r.metadata as string) })).length;
  }
  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
const HASH = '0'.repeat(64);

// ---------------------------------------------------------------- this adapter

function openOurs(sync: Sync): { store: SqliteEventStore; done: () => Promise<void> } {
  const dir = tempDir();
  const store = new SqliteEventStore({ directory: dir, synchronous: sync });
  return {
    store,
    done: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the raw ceiling and this adapter on the same workload in alternating slices (the order flips
 * every round), so that load from other processes on a shared machine falls on both alike.
 */
async function interleaved(
  sync: Sync,
  appends: number,
  perAppend: number,
  rounds = 10,
): Promise<{ raw: Measured; ours: Measured; rawStore: Raw; oursStore: ReturnType<typeof openOurs> }> {
  const raw = new Raw(sync);
  const ours = openOurs(sync);
  const versions = new Map<string, number>();
  const lapsRaw: number[] = [];
  const lapsOurs: number[] = [];
  let secondsRaw = 0;
  let secondsOurs = 0;
  const slice = Math.ceil(appends / rounds);
  const streamOf = (i: number) => (perAppend === 1 ? `application-${i % STREAMS}` : `batch-${i % STREAMS}`);
  const runRaw = (from: number, to: number) => {
    const batches = Array.from({ length: to - from }, (_, k) => Array.from({ length: perAppend }, (_, j) => makeEvent((from + k) * perAppend + j)));
    const start = now();
    for (let i = from; i < to; i++) {
      const t = now();
      raw.append(streamOf(i), batches[i - from]);
      lapsRaw.push(since(t));
    }
    secondsRaw += since(start) / 1000;
  };
  const runOurs = async (from: number, to: number) => {
    const batches = Array.from({ length: to - from }, (_, k) => Array.from({ length: perAppend }, (_, j) => makeEvent((from + k) * perAppend + j)));
    const start = now();
    for (let i = from; i < to; i++) {
      const streamId = streamOf(i);
      const v = versions.get(streamId) ?? -1;
      const t = now();
      const result = await ours.store.append(streamId, batches[i - from], { expectedVersion: v === -1 ? 'no-stream' : v });
      lapsOurs.push(since(t));
      versions.set(streamId, result.nextExpectedVersion);
    }
    secondsOurs += since(start) / 1000;
  };
  for (let r = 0; r < rounds; r++) {
    const from = r * slice;
    const to = Math.min(appends, from + slice);
    if (r % 2 === 0) {
      runRaw(from, to);
      await runOurs(from, to);
    } else {
      await runOurs(from, to);
      runRaw(from, to);
    }
  }
  const measured = (laps: number[], seconds: number): Measured => {
    laps.sort((a, b) => a - b);
    return { eventsPerSec: (appends * perAppend) / seconds, p50Ms: percentile(laps, 50), p99Ms: percentile(laps, 99) };
  };
  return { raw: measured(lapsRaw, secondsRaw), ours: measured(lapsOurs, secondsOurs), rawStore: raw, oursStore: ours };
}

async function rawSingle(sync: Sync, n: number): Promise<{ m: Measured; raw: Raw }> {
  const raw = new Raw(sync);
  const events = Array.from({ length: n }, (_, i) => makeEvent(i));
  const m = await timed(n, (lap) => {
    for (let i = 0; i < n; i++) {
      const t = now();
      raw.append(`application-${i % STREAMS}`, [events[i]]);
      lap(since(t));
    }
  });
  return { m, raw };
}

async function oursConcurrent(appenders: number, perAppender: number): Promise<Measured & { transactions: number }> {
  const ours = openOurs('FULL');
  const m = await timed(appenders * perAppender, async (lap) => {
    await Promise.all(
      Array.from({ length: appenders }, async (_, a) => {
        for (let i = 0; i < perAppender; i++) {
          const t = now();
          await ours.store.append(`beneficiary-${a}`, [makeEvent(i)], { expectedVersion: i === 0 ? 'no-stream' : i - 1 });
          lap(since(t));
        }
      }),
    );
  });
  const { transactions } = ours.store.commitStats;
  await ours.done();
  return { ...m, transactions };
}

// ---------------------------------------------------------------- the peer

interface Peer {
  getSQLiteEventStore: (o: { fileName: string; schema?: { autoMigration?: string } }) => {
    appendToStream(name: string, events: unknown[], options?: unknown): Promise<unknown>;
    readStream(name: string): Promise<{ events: unknown[] }>;
  };
  sqliteConnection: (o: { fileName: string }) => { close(): void };
  readMessagesBatch: (
    db: unknown,
    o: { after: bigint; batchSize: number },
  ) => Promise<{ messages: unknown[]; areEventsLeft: boolean; currentGlobalPosition: bigint }>;
}

function loadPeer(): Peer | string {
  const entry = join(peerDir, 'node_modules/@event-driven-io/emmett-sqlite');
  if (!existsSync(entry)) {
    process.stderr.write('installing the peer (@event-driven-io/emmett-sqlite 0.38.5) into bench/store/peer ...\n');
    try {
      const env = { ...process.env };
      // sqlite3 has no reachable prebuilt binary here; build it against the local Node headers.
      if (!env.npm_config_nodedir && existsSync('/usr/include/node/node_api.h')) env.npm_config_nodedir = '/usr';
      execFileSync('npm', ['install', '--prefix', peerDir, '--no-audit', '--no-fund', '--no-package-lock'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env,
        timeout: 420_000,
      });
    } catch (error) {
      return `peer install failed: ${String((error as { stderr?: Buffer }).stderr ?? error)
        .split('\n')
        .slice(-5)
        .join(' ')}`;
    }
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve('@event-driven-io/emmett-sqlite', { paths: [peerDir] })) as Peer;
  } catch (error) {
    return `peer cannot be loaded: ${(error as Error).message}`;
  }
}

async function peerFigures(peer: Peer): Promise<Record<string, Measured>> {
  const dir = tempDir();
  try {
    return await peerRun(peer, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function peerRun(peer: Peer, dir: string): Promise<Record<string, Measured>> {
  const fileName = join(dir, 'peer.db');
  const store = peer.getSQLiteEventStore({ fileName, schema: { autoMigration: 'CreateOrUpdate' } });
  // Under load the peer's appends sometimes fail with SQLITE_BUSY ("cannot commit transaction - SQL
  // statements in progress"); retry them (counted in the figures) rather than lose the whole run.
  const es = {
    readStream: (name: string) => store.readStream(name),
    async appendToStream(name: string, events: unknown[]): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        try {
          await store.appendToStream(name, events);
          return;
        } catch (error) {
          if (attempt >= 5 || !String((error as Error).message).includes('SQLITE_BUSY')) throw error;
          figures.peerRetries = Number(figures.peerRetries ?? 0) + 1;
        }
      }
    },
  };
  const toPeer = (e: NewEvent) => ({ type: e.type, data: e.data, metadata: e.metadata });
  await es.appendToStream('warmup', [toPeer(makeEvent(0))]);
  const singles = Array.from({ length: COUNTS.peerSingle }, (_, i) => toPeer(makeEvent(i)));
  const single = await timed(singles.length, async (lap) => {
    for (let i = 0; i < singles.length; i++) {
      const t = now();
      await es.appendToStream(`application-${i % STREAMS}`, [singles[i]]);
      lap(since(t));
    }
  });
  const batches = Array.from({ length: COUNTS.peerBatches }, (_, b) => Array.from({ length: 100 }, (_, i) => toPeer(makeEvent(b * 100 + i))));
  const batch100 = await timed(batches.length * 100, async (lap) => {
    for (let b = 0; b < batches.length; b++) {
      const t = now();
      await es.appendToStream(`batch-${b}`, batches[b]);
      lap(since(t));
    }
  });
  const long = Array.from({ length: 1000 }, (_, i) => toPeer(makeEvent(i)));
  for (let i = 0; i < 1000; i += 100) await es.appendToStream('long-stream', long.slice(i, i + 100));
  let total = 0;
  const t0 = now();
  const db = peer.sqliteConnection({ fileName });
  let after = -1n;
  for (;;) {
    const page = await peer.readMessagesBatch(db, { after, batchSize: 1000 });
    total += page.messages.length;
    if (page.messages.length === 0 || !page.areEventsLeft) break;
    after = page.currentGlobalPosition;
  }
  db.close();
  const readAll: Measured = { eventsPerSec: total / (since(t0) / 1000) };
  const readStream = await timed(1000 * COUNTS.readStreamRepeats, async () => {
    for (let r = 0; r < COUNTS.readStreamRepeats; r++) await es.readStream('long-stream');
  });
  return { single, batch100, readAll, readStream };
}

// ---------------------------------------------------------------- run

function record(name: string, m: Measured): void {
  figures[`${name}.eventsPerSec`] = Math.round(m.eventsPerSec);
  if (m.p50Ms !== undefined) figures[`${name}.p50Ms`] = round3(m.p50Ms);
  if (m.p99Ms !== undefined) figures[`${name}.p99Ms`] = round3(m.p99Ms);
}
const round3 = (x: number) => Math.round(x * 1000) / 1000;
function ratio(name: string, a: Measured, b: Measured): number {
  const r = round3(a.eventsPerSec / b.eventsPerSec);
  figures[`ratio.${name}`] = r;
  return r;
}
function row(scenario: string, who: string, m: Measured, note = ''): void {
  rows.push([
    scenario,
    who,
    String(Math.round(m.eventsPerSec)),
    m.p50Ms === undefined ? '' : m.p50Ms.toFixed(3),
    m.p99Ms === undefined ? '' : m.p99Ms.toFixed(3),
    note,
  ]);
}

async function main(): Promise<void> {
  const started = Date.now();
  figures.eventBytes = eventBytes;
  figures.streams = STREAMS;

  // Warm the JIT on both paths.
  {
    const warm = await interleaved('NORMAL', 2000, 1, 2);
    warm.rawStore.close();
    await warm.oursStore.done();
  }

  const readAllSource: { ours?: ReturnType<typeof openOurs>; raw?: Raw } = {};
  for (const sync of ['FULL', 'NORMAL'] as const) {
    const single = await interleaved(sync, COUNTS.single[sync], 1);
    record(`single.${sync}.raw`, single.raw);
    record(`single.${sync}.ours`, single.ours);
    const r = ratio(`single.${sync}.oursToRaw`, single.ours, single.raw);
    row(`(a) 1 event/append, ${sync}`, 'raw better-sqlite3', single.raw);
    row(`(a) 1 event/append, ${sync}`, 'this adapter', single.ours, `${Math.round(r * 100)}% of raw`);
    if (sync === 'NORMAL') {
      readAllSource.ours = single.oursStore;
      readAllSource.raw = single.rawStore;
    } else {
      await single.oursStore.done();
      single.rawStore.close();
    }

    const batch = await interleaved(sync, COUNTS.batches, 100);
    batch.rawStore.close();
    await batch.oursStore.done();
    record(`batch100.${sync}.raw`, batch.raw);
    record(`batch100.${sync}.ours`, batch.ours);
    const rb = ratio(`batch100.${sync}.oursToRaw`, batch.ours, batch.raw);
    row(`(b) 100 events/append, ${sync}`, 'raw better-sqlite3', batch.raw);
    row(`(b) 100 events/append, ${sync}`, 'this adapter', batch.ours, `${Math.round(rb * 100)}% of raw`);
  }

  // (c) full readAll with events parsed, and (d) one 1,000-event stream, on the NORMAL single-append logs.
  const ours = readAllSource.ours!;
  const raw = readAllSource.raw!;
  const long = Array.from({ length: 1000 }, (_, i) => makeEvent(i));
  for (let i = 0; i < 1000; i += 100) {
    await ours.store.append('long-stream', long.slice(i, i + 100), { expectedVersion: i === 0 ? 'no-stream' : i - 1 });
    raw.append('long-stream', long.slice(i, i + 100));
  }
  const total = Number(raw.db.prepare('SELECT count(*) FROM events').pluck().get());
  for (let warm = 0; warm < 2; warm++) {
    raw.readAllParsed();
    for await (const e of ours.store.readAll()) void e;
  }
  // Alternate the two readers over a few rounds (shared machine), and add up.
  const alternate = async (events: number, rounds: number, a: () => unknown, b: () => Promise<unknown>): Promise<[Measured, Measured]> => {
    let secondsA = 0;
    let secondsB = 0;
    for (let r = 0; r < rounds; r++) {
      const first = now();
      a();
      secondsA += since(first) / 1000;
      const second = now();
      await b();
      secondsB += since(second) / 1000;
    }
    return [{ eventsPerSec: (events * rounds) / secondsA }, { eventsPerSec: (events * rounds) / secondsB }];
  };
  const [rawAll, oursAll] = await alternate(
    total,
    3,
    () => raw.readAllParsed(),
    async () => {
      for await (const e of ours.store.readAll()) void e;
    },
  );
  record('readAll.raw', rawAll);
  record('readAll.ours', oursAll);
  const ra = ratio('readAll.oursToRaw', oursAll, rawAll);
  row(`(c) readAll parsed (${total} events)`, 'raw better-sqlite3', rawAll);
  row(`(c) readAll parsed (${total} events)`, 'this adapter', oursAll, `${Math.round(ra * 100)}% of raw`);

  const [rawStream, oursStream] = await alternate(
    1000,
    COUNTS.readStreamRepeats,
    () => raw.readStreamParsed('long-stream'),
    async () => {
      for await (const e of ours.store.readStream('long-stream')) void e;
    },
  );
  record('readStream1000.raw', rawStream);
  record('readStream1000.ours', oursStream);
  const rs = ratio('readStream1000.oursToRaw', oursStream, rawStream);
  row('(d) read one 1,000-event stream', 'raw better-sqlite3', rawStream);
  row('(d) read one 1,000-event stream', 'this adapter', oursStream, `${Math.round(rs * 100)}% of raw`);
  await ours.done();
  raw.close();

  // 32 concurrent appenders at FULL (group commit) vs raw one transaction per event.
  const perAppender = COUNTS.concurrentPerAppender;
  const rawOneTx = await rawSingle('FULL', 32 * perAppender);
  rawOneTx.raw.close();
  const conc = await oursConcurrent(32, perAppender);
  record('concurrent32.FULL.rawOneTxPerEvent', rawOneTx.m);
  record('concurrent32.FULL.ours', conc);
  figures['concurrent32.FULL.ours.transactions'] = conc.transactions;
  const rc = ratio('concurrent32.FULL.oursToRawOneTx', conc, rawOneTx.m);
  row('32 concurrent appenders, FULL', 'raw, 1 tx per event', rawOneTx.m);
  row('32 concurrent appenders, FULL', 'this adapter (group commit)', conc, `${rc.toFixed(1)}x raw; ${32 * perAppender} appends in ${conc.transactions} tx`);

  // The peer, in its default configuration.
  const peer = loadPeer();
  if (typeof peer === 'string') {
    process.stderr.write(`${peer}\n(the peer figures are left out)\n`);
    figures.peer = peer;
  } else {
    let p: Record<string, Measured> | undefined;
    for (let attempt = 1; attempt <= 2 && !p; attempt++) {
      try {
        p = await peerFigures(peer);
      } catch (error) {
        // The peer's own transaction handling can fail under load (SQLITE_BUSY from node-sqlite3).
        process.stderr.write(`peer run ${attempt} failed: ${(error as Error).message}\n`);
        figures.peerFailures = attempt;
      }
    }
    if (!p) {
      figures.peer = 'failed twice (see stderr)';
    } else {
      record('peer.single', p.single);
      record('peer.batch100', p.batch100);
      record('peer.readAll', p.readAll);
      record('peer.readStream1000', p.readStream);
      row('(a) 1 event/append, peer default', 'emmett-sqlite 0.38.5', p.single);
      row('(b) 100 events/append, peer default', 'emmett-sqlite 0.38.5', p.batch100);
      row('(c) readAll parsed', 'emmett-sqlite 0.38.5', p.readAll);
      row('(d) read one 1,000-event stream', 'emmett-sqlite 0.38.5', p.readStream);
      const ourFull: Measured = { eventsPerSec: Number(figures['single.FULL.ours.eventsPerSec']) };
      const x = ratio('single.FULL.oursToPeer', ourFull, p.single);
      rows[rows.length - 4][5] = `this adapter at FULL is ${x.toFixed(1)}x`;
    }
  }

  const goals = {
    'single FULL >= 70% raw': Number(figures['ratio.single.FULL.oursToRaw']) >= 0.7,
    'single NORMAL >= 70% raw': Number(figures['ratio.single.NORMAL.oursToRaw']) >= 0.7,
    'batch100 FULL >= 70% raw': Number(figures['ratio.batch100.FULL.oursToRaw']) >= 0.7,
    'batch100 NORMAL >= 70% raw': Number(figures['ratio.batch100.NORMAL.oursToRaw']) >= 0.7,
    'readAll >= 50% raw': Number(figures['ratio.readAll.oursToRaw']) >= 0.5,
    '32 concurrent FULL > raw 1 tx/event': Number(figures['ratio.concurrent32.FULL.oursToRawOneTx']) > 1,
  };
  for (const [goal, met] of Object.entries(goals)) figures[`goal.${goal}`] = met ? 'met' : 'missed';
  figures.seconds = Math.round((Date.now() - started) / 100) / 10;

  const header = ['scenario', 'store', 'events/s', 'p50 ms/append', 'p99 ms/append', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`event store benchmark: ${eventBytes}-byte events over ${STREAMS} streams (BENCH_SCALE=${scale})`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  for (const [goal, met] of Object.entries(goals)) console.log(`goal ${met ? 'met   ' : 'MISSED'}: ${goal}`);
  console.log(JSON.stringify(figures));
}

/** `--engine postgres`: the PostgreSQL store against raw pg instead (bench-store-postgres.ts). */
function engine(): 'sqlite' | 'postgres' {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === '--engine' || a.startsWith('--engine='));
  if (at === -1) return 'sqlite';
  const value = args[at].includes('=') ? args[at].split('=')[1] : args[at + 1];
  if (value !== 'sqlite' && value !== 'postgres') throw new Error(`--engine must be sqlite or postgres, got ${JSON.stringify(value)}`);
  return value;
}

if (require.main === module) {
  const run = engine() === 'postgres' ? import('./bench-store-postgres').then((m) => m.benchPostgres()) : main();
  run.catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
