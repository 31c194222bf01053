/**
 * `npm run bench:store -- --engine postgres`: the PostgreSQL event store against raw `pg` inserts of the
 * same events into a table of the same shape, at the same durability (the server's synchronous_commit,
 * printed), in the same run, interleaved in rounds so both sides share the machine's noise. The server is
 * `DATABASE_URL` (default: the local one, trust auth); the bench creates a database of its own there and
 * drops it. A benchmark prints figures; it asserts nothing. Last line: one JSON object of every figure.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { NewEvent } from '../src/event-store.port';
import { canonicalJson } from '../src/hash-chain';
import { PostgresEventStore } from '../src/postgres/postgres-event-store';
import { POSTGRES_MIGRATIONS } from '../src/postgres/postgres-schema';
import { eventBytes, makeEvent, type Measured, percentile, STREAMS } from './bench-store';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const COUNTS = { single: Math.round(3000 * scale), batches: Math.round(200 * scale), concurrentPerAppender: Math.round(60 * scale) };
export const SERVER = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const HASH = '0'.repeat(64);
const figures: Record<string, number | string> = {};
const rows: string[][] = [];

const now = () => process.hrtime.bigint();
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

/** Raw pg: the same rows (canonical JSON, placeholders for the hashes), a sequence for positions, no checks. */
export class Raw {
  private readonly versions = new Map<string, number>();
  constructor(readonly client: Client) {}
  static async open(url: string): Promise<Raw> {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(
      POSTGRES_MIGRATIONS[0].sql
        .replace('CREATE TABLE events', 'CREATE TABLE IF NOT EXISTS raw_events')
        .replaceAll('CONSTRAINT events_', 'CONSTRAINT raw_events_')
        .replace(/CREATE INDEX[^;]*;/, ''),
    );
    await client.query('CREATE SEQUENCE IF NOT EXISTS raw_positions');
    await client.query(`ALTER TABLE raw_events ALTER COLUMN global_position SET DEFAULT nextval('raw_positions')`);
    return new Raw(client);
  }
  private values(streamId: string, events: NewEvent[], recordedAt: string): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const tuples = events.map((e) => {
      const version = (this.versions.get(streamId) ?? -1) + 1;
      this.versions.set(streamId, version);
      const base = values.length;
      values.push(streamId, version, e.eventId, e.type, 1, canonicalJson(e.data), canonicalJson(e.metadata), recordedAt, HASH, HASH);
      return `(${Array.from({ length: 10 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    return {
      text: `INSERT INTO raw_events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES ${tuples.join(', ')}`,
      values,
    };
  }
  /** One transaction per call: a lone INSERT commits by itself; several events go in one INSERT between BEGIN and COMMIT. */
  async append(streamId: string, events: NewEvent[]): Promise<void> {
    const insert = this.values(streamId, events, new Date().toISOString());
    if (events.length === 1) {
      await this.client.query(insert);
      return;
    }
    await this.client.query('BEGIN');
    await this.client.query(insert);
    await this.client.query('COMMIT');
  }
  close(): Promise<void> {
    return this.client.end();
  }
}

/** Both sides, `appends` appends of `perAppend` events, in alternating rounds. */
async function interleaved(url: string, appends: number, perAppend: number, rounds = 10): Promise<{ raw: Measured; ours: Measured }> {
  const raw = await Raw.open(url);
  const ours = await PostgresEventStore.open({ connectionString: url });
  const versions = new Map<string, number>();
  const laps = { raw: [] as number[], ours: [] as number[] };
  const seconds = { raw: 0, ours: 0 };
  const slice = Math.ceil(appends / rounds);
  const prefix = randomBytes(3).toString('hex');
  const streamOf = (i: number) => `${prefix}-${perAppend === 1 ? 'application' : 'batch'}-${i % STREAMS}`;
  const batchesOf = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => Array.from({ length: perAppend }, (_, j) => makeEvent((from + k) * perAppend + j)));
  const runRaw = async (from: number, to: number) => {
    const batches = batchesOf(from, to);
    const start = now();
    for (let i = from; i < to; i++) {
      const t = now();
      await raw.append(streamOf(i), batches[i - from]);
      laps.raw.push(since(t));
    }
    seconds.raw += since(start) / 1000;
  };
  const runOurs = async (from: number, to: number) => {
    const batches = batchesOf(from, to);
    const start = now();
    for (let i = from; i < to; i++) {
      const streamId = streamOf(i);
      const v = versions.get(streamId) ?? -1;
      const t = now();
      const result = await ours.append(streamId, batches[i - from], { expectedVersion: v === -1 ? 'no-stream' : v });
      laps.ours.push(since(t));
      versions.set(streamId, result.nextExpectedVersion);
    }
    seconds.ours += since(start) / 1000;
  };
  try {
    for (let r = 0; r < rounds; r++) {
      const from = r * slice;
      const to = Math.min(appends, from + slice);
      if (r % 2 === 0) {
        await runRaw(from, to);
        await runOurs(from, to);
      } else {
        await runOurs(from, to);
        await runRaw(from, to);
      }
    }
  } finally {
    await raw.close();
    await ours.close();
  }
  const measured = (l: number[], s: number): Measured => {
    l.sort((a, b) => a - b);
    return { eventsPerSec: (appends * perAppend) / s, p50Ms: percentile(l, 50), p99Ms: percentile(l, 99) };
  };
  return { raw: measured(laps.raw, seconds.raw), ours: measured(laps.ours, seconds.ours) };
}

/** `appenders` concurrent appenders of one event at a time: raw on a connection each, ours through `stores` stores (servers). */
async function concurrent(
  url: string,
  appenders: number,
  perAppender: number,
  stores: number,
): Promise<{ raw: Measured; ours: Measured; transactions: number }> {
  const total = appenders * perAppender;
  const raws = await Promise.all(Array.from({ length: appenders }, () => Raw.open(url)));
  const prefix = randomBytes(3).toString('hex');
  const rawStart = now();
  await Promise.all(
    raws.map(async (raw, a) => {
      for (let i = 0; i < perAppender; i++) await raw.append(`${prefix}-raw-concurrent-${a}`, [makeEvent(i)]);
    }),
  );
  const rawSeconds = since(rawStart) / 1000;
  await Promise.all(raws.map((raw) => raw.close()));
  const ours = await Promise.all(Array.from({ length: stores }, () => PostgresEventStore.open({ connectionString: url })));
  const oursStart = now();
  await Promise.all(
    Array.from({ length: appenders }, async (_, a) => {
      const store = ours[a % stores];
      for (let i = 0; i < perAppender; i++) {
        await store.append(`${prefix}-beneficiary-${a}`, [makeEvent(i)], { expectedVersion: i === 0 ? 'no-stream' : i - 1 });
      }
    }),
  );
  const oursSeconds = since(oursStart) / 1000;
  const transactions = ours.reduce((sum, store) => sum + store.commitStats.transactions, 0);
  await Promise.all(ours.map((store) => store.close()));
  return { raw: { eventsPerSec: total / rawSeconds }, ours: { eventsPerSec: total / oursSeconds }, transactions };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
function record(name: string, m: Measured): void {
  figures[`${name}.eventsPerSec`] = Math.round(m.eventsPerSec);
  if (m.p50Ms !== undefined) figures[`${name}.p50Ms`] = round3(m.p50Ms);
  if (m.p99Ms !== undefined) figures[`${name}.p99Ms`] = round3(m.p99Ms);
}
function ratio(name: string, a: Measured, b: Measured): number {
  const r = round3(a.eventsPerSec / b.eventsPerSec);
  figures[`ratio.${name}`] = r;
  return r;
}
function row(scenario: string, who: string, m: Measured, note = ''): void {
  rows.push([scenario, who, String(Math.round(m.eventsPerSec)), m.p50Ms?.toFixed(3) ?? '', m.p99Ms?.toFixed(3) ?? '', note]);
}

/** One connection to the server's maintenance database for `work` (CREATE/DROP DATABASE, settings). */
export async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function benchPostgres(): Promise<void> {
  const started = Date.now();
  const name = `cbec_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const settings = await admin(async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    const found = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'server_version', 'wal_sync_method')`,
    );
    return Object.fromEntries(found.rows.map((r) => [r.name, r.setting]));
  });
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  try {
    Object.assign(
      figures,
      { engine: 'postgres', eventBytes, streams: STREAMS },
      Object.fromEntries(Object.entries(settings).map(([k, v]) => [`server.${k}`, v])),
    );
    await interleaved(url.toString(), 300, 1, 2); // warm both paths

    const single = await interleaved(url.toString(), COUNTS.single, 1);
    record('pg.single.raw', single.raw);
    record('pg.single.ours', single.ours);
    const r = ratio('pg.single.oursToRaw', single.ours, single.raw);
    row('(a) 1 event/append', 'raw pg INSERT (autocommit)', single.raw);
    row('(a) 1 event/append', 'PostgresEventStore', single.ours, `${Math.round(r * 100)}% of raw`);

    const batch = await interleaved(url.toString(), COUNTS.batches, 100);
    record('pg.batch100.raw', batch.raw);
    record('pg.batch100.ours', batch.ours);
    const rb = ratio('pg.batch100.oursToRaw', batch.ours, batch.raw);
    row('(b) 100 events/append', 'raw pg BEGIN/INSERT/COMMIT', batch.raw);
    row('(b) 100 events/append', 'PostgresEventStore', batch.ours, `${Math.round(rb * 100)}% of raw`);

    for (const stores of [1, 3]) {
      const c = await concurrent(url.toString(), 32, COUNTS.concurrentPerAppender, stores);
      record(`pg.concurrent32.stores${stores}.raw`, c.raw);
      record(`pg.concurrent32.stores${stores}.ours`, c.ours);
      figures[`pg.concurrent32.stores${stores}.ours.transactions`] = c.transactions;
      const rc = ratio(`pg.concurrent32.stores${stores}.oursToRaw`, c.ours, c.raw);
      row(`(c) 32 concurrent appenders, ${stores} store(s)`, 'raw pg, 32 connections', c.raw);
      row(
        `(c) 32 concurrent appenders, ${stores} store(s)`,
        'PostgresEventStore (group commit)',
        c.ours,
        `${Math.round(rc * 100)}% of raw; ${32 * COUNTS.concurrentPerAppender} appends in ${c.transactions} tx`,
      );
    }
  } finally {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  const goals = { 'single appends >= 50% of raw pg': Number(figures['ratio.pg.single.oursToRaw']) >= 0.5 };
  for (const [goal, met] of Object.entries(goals)) figures[`goal.${goal}`] = met ? 'met' : 'missed';
  figures.seconds = Math.round((Date.now() - started) / 100) / 10;

  const header = ['scenario', 'store', 'events/s', 'p50 ms/append', 'p99 ms/append', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `event store benchmark on PostgreSQL ${settings.server_version} (synchronous_commit=${settings.synchronous_commit}, fsync=${settings.fsync}): ${eventBytes}-byte events over ${STREAMS} streams (BENCH_SCALE=${scale})`,
  );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const cells of rows) console.log(line(cells));
  for (const [goal, met] of Object.entries(goals)) console.log(`goal ${met ? 'met   ' : 'MISSED'}: ${goal}`);
  console.log(JSON.stringify(figures));
}
