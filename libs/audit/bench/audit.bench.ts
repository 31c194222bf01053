/**
 * `npm run bench:audit` (issue 6): events/s of a full `verify` and a full replay (every stream folded
 * through the domain's `evolve`) over 1,000,000 events, against the store's raw read rate measured in
 * the same run on the same file. Not a test: it prints figures. Last line: one JSON object.
 *
 * BENCH_AUDIT_EVENTS overrides the count (e.g. 100000 for a quick look).
 */
import { beneficiaryDecider, caseDecider, fundDecider, type Decider, type DomainCommand, type DomainEvent } from '@cbec/domain';
import { canonicalJson, GENESIS_HASH, hashFromCanonicalParts, migrate, openSqliteEventStore } from '@cbec/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditContext } from '../src/audit-context';
import { CAN_USE_VERIFY_WORKERS, verifySqliteLog, verifySqliteLogInRanges } from '../src/integrity/verify-log';
import { CAN_USE_REPLAY_WORKERS, replayLog } from '../src/time-travel/replay-log';
import { availableParallelism } from 'node:os';

const TOTAL = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const EVENTS_PER_CASE = 10;

interface Gen {
  streamId: string;
  type: string;
  data: unknown;
}

/** One approved case: 7 events on its stream, 2 on the beneficiary's ledger, 1 on the fund. */
function caseEvents(i: number): Gen[] {
  const applicationId = `b${String(i).padStart(7, '0')}`;
  const uscc = `91341500BENCH${String(i % 20000).padStart(5, '0')}`;
  // 1,000 fund streams of ~100 commitments each: the domain's fund evolve copies its commitments map per
  // event (quadratic in commitments per fund), fine at real volumes, not at 10,000 per fund.
  const year = 3000 + (i % 1000);
  const stream = `application-${applicationId}`;
  const reservationId = `r-${applicationId}`;
  const commitmentId = `c-${applicationId}`;
  const trace = [
    { step: 'increment = USD 900000.00 - USD 500000.00', value: 'USD 400000.00', source: 'customs' },
    { step: '4 x CNY 2000.00', value: 'CNY 8000.00', source: 'policy LZB-2019-4 p2b.awardPerStepCny' },
  ];
  return [
    {
      streamId: stream,
      type: 'ApplicationSubmitted',
      data: {
        applicationId,
        program: 'P2b',
        year,
        beneficiary: { uscc, kind: 'enterprise' },
        claims: { promotesOnThirdPartyPlatform: true },
        leadUnit: 'FIN',
        cooperatingUnits: ['COM', 'CUS', 'PBC'],
        policyVersion: 'LZB-2019-4',
        submittedBy: 'applicant',
      },
    },
    {
      streamId: stream,
      type: 'CaseAccepted',
      data: { applicationId, round: 1, reviews: ['COM', 'CUS', 'PBC'].map((unit) => ({ unit, dueDate: '2020-03-20' })), acceptedBy: 'fin-officer' },
    },
    ...['COM', 'CUS', 'PBC'].map((unit) => ({
      streamId: stream,
      type: 'ReviewOpinionRecorded',
      data: { applicationId, round: 1, unit, verdict: 'approve', comment: 'no objection', author: `${unit}-officer` },
    })),
    { streamId: stream, type: 'ApplicationReadyForDecision', data: { applicationId, round: 1 } },
    {
      streamId: `beneficiary-${uscc}`,
      type: 'AwardReserved',
      data: {
        uscc,
        reservationId,
        applicationId,
        program: 'P2b',
        year,
        requestedCny: '8000.00',
        amountCny: '8000.00',
        computedCny: '8000.00',
        capApplied: null,
        trace,
        policyVersion: 'LZB-2019-4',
      },
    },
    { streamId: `fund-${year}`, type: 'FundsCommitted', data: { year, commitmentId, applicationId, amountCny: '8000.00' } },
    {
      streamId: stream,
      type: 'AwardApproved',
      data: {
        applicationId,
        program: 'P2b',
        year,
        uscc,
        amountCny: '8000.00',
        computedCny: '8000.00',
        approvableCny: '8000.00',
        reasonIfLower: null,
        capApplied: null,
        trace,
        policyVersion: 'LZB-2019-4',
        customsEventIds: [`cu-${i}`],
        reservationId,
        commitmentId,
        approvedBy: 'fin-head',
      },
    },
    { streamId: `beneficiary-${uscc}`, type: 'ReservationConfirmed', data: { uscc, reservationId, applicationId, program: 'P2b', year, amountCny: '8000.00' } },
  ];
}

function generate(file: string): { events: number; ms: number } {
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  migrate(db);
  const insert = db.prepare(
    `INSERT INTO events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
  );
  const heads = new Map<string, { version: number; hash: string }>();
  let position = 0;
  const t0 = Date.parse('2020-01-01T00:00:00Z');
  const batch = db.transaction((cases: number[]) => {
    for (const i of cases) {
      const corr = `corr-${i}`;
      for (const g of caseEvents(i)) {
        if (position >= TOTAL) return;
        position++;
        const head = heads.get(g.streamId);
        const version = head ? head.version + 1 : 0;
        const prevHash = head ? head.hash : GENESIS_HASH;
        const eventId = `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`;
        const at = new Date(t0 + position * 1000).toISOString();
        const dataText = canonicalJson(g.data);
        const metadataText = canonicalJson({
          correlationId: corr,
          causationId: null,
          commandId: `cmd-${position}`,
          actor: { user: 'bench', unit: 'FIN', role: 'head' },
          occurredAt: at,
          policyVersion: 'LZB-2019-4',
        });
        const hash = hashFromCanonicalParts({ streamId: g.streamId, version, eventId, type: g.type, schemaVersion: 1, prevHash }, dataText, metadataText);
        insert.run(position, g.streamId, version, eventId, g.type, dataText, metadataText, at, prevHash, hash);
        heads.set(g.streamId, { version, hash });
      }
    }
  });
  const casesNeeded = Math.ceil(TOTAL / EVENTS_PER_CASE);
  for (let start = 0; start < casesNeeded; start += 1000) {
    batch(Array.from({ length: Math.min(1000, casesNeeded - start) }, (_, k) => start + k));
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { events: position, ms: performance.now() - started };
}

function rate(events: number, ms: number): number {
  return Math.round((events / ms) * 1000);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cbec-bench-audit-'));
  const file = join(dir, 'events.db');
  try {
    const gen = generate(file);
    const sizeMb = Math.round(statSync(file).size / 1e6);
    console.log(`generated ${gen.events} events (${sizeMb} MB) in ${(gen.ms / 1000).toFixed(1)} s (${rate(gen.events, gen.ms)}/s)`);

    const store = openSqliteEventStore({ directory: dir, pageSize: 5000 });
    const ctx = new AuditContext(store, dir, () => new Date(), 10_000);
    const digestStart = performance.now();
    await ctx.digestNow();
    const digest = await ctx.digests().last();
    const digestMs = performance.now() - digestStart;
    console.log(`signed ${digest?.body.seq} digests (one per 10,000 events), the last over ${digest?.body.streamCount} streams, in ${Math.round(digestMs)} ms`);

    // (a) the store's raw read rate: every row of the table, columns as stored, no parsing.
    const raw = new Database(file, { readonly: true });
    let t = performance.now();
    let n = 0;
    let bytes = 0;
    for (const r of raw
      .prepare(
        'SELECT global_position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash FROM events ORDER BY global_position',
      )
      .raw(true)
      .iterate() as IterableIterator<unknown[]>) {
      n++;
      bytes += (r[6] as string).length;
    }
    const rawMs = performance.now() - t;
    // (b) raw rows with data and metadata parsed (what any consumer of events needs).
    t = performance.now();
    let parsed = 0;
    for (const r of raw.prepare('SELECT data, metadata FROM events ORDER BY global_position').raw(true).iterate() as IterableIterator<string[]>) {
      JSON.parse(r[0]);
      JSON.parse(r[1]);
      parsed++;
    }
    const rawParseMs = performance.now() - t;
    raw.close();
    // (c) the adapter's readAll (parsed RecordedEvents).
    t = performance.now();
    let viaStore = 0;
    for await (const _ of store.readAll()) viaStore++;
    const readAllMs = performance.now() - t;

    // (d) full verify: every chain recomputed + the signed digests; one pass, then sliced over the cores.
    const { key } = ctx.trustedKey();
    t = performance.now();
    const sequential = await verifySqliteLog(file, await ctx.digests().all(), key, 'bench');
    const verifySequentialMs = performance.now() - t;
    t = performance.now();
    const report = await verifySqliteLogInRanges(file, await ctx.digests().all(), key, 'bench', { workers: CAN_USE_VERIFY_WORKERS });
    const verifyMs = performance.now() - t;
    for (const r of [sequential, report]) if (!r.ok) throw new Error(`verify found breaks in the generated log: ${JSON.stringify(r.breaks.slice(0, 3))}`);

    // (e') full replay as the audit runs it: stored rows, data parsed, every stream folded, one share per core.
    t = performance.now();
    const replay = await replayLog(file, { workers: CAN_USE_REPLAY_WORKERS });
    const replayParallelMs = performance.now() - t;
    if (replay.failures.length) throw new Error(`replay failed: ${JSON.stringify(replay.failures.slice(0, 3))}`);

    // (e) full replay through the store's readAll (parsed and upcast events), one thread.
    type AnyDecider = Decider<DomainCommand, DomainEvent, unknown>;
    const deciders: [string, AnyDecider][] = [
      ['application-', caseDecider as unknown as AnyDecider],
      ['beneficiary-', beneficiaryDecider as unknown as AnyDecider],
      ['fund-', fundDecider as unknown as AnyDecider],
    ];
    t = performance.now();
    const states = new Map<string, unknown>();
    let replayed = 0;
    for await (const e of store.readAll()) {
      const d = deciders.find(([p]) => e.streamId.startsWith(p))?.[1];
      if (!d) continue;
      states.set(e.streamId, d.evolve(states.has(e.streamId) ? states.get(e.streamId) : d.initialState(), { type: e.type, data: e.data as object }));
      replayed++;
    }
    const replayMs = performance.now() - t;
    ctx.close();
    await store.close();

    const figures = {
      events: gen.events,
      streams: states.size,
      dbMb: sizeMb,
      rawReadPerSec: rate(n, rawMs),
      rawReadParsedPerSec: rate(parsed, rawParseMs),
      storeReadAllPerSec: rate(viaStore, readAllMs),
      cores: availableParallelism(),
      verifySequentialPerSec: rate(sequential.eventsChecked, verifySequentialMs),
      verifyPerSec: rate(report.eventsChecked, verifyMs),
      replayViaReadAllPerSec: rate(replayed, replayMs),
      replayPerSec: rate(replay.events, replayParallelMs),
      verifyVsRaw: +(rawMs / verifyMs).toFixed(2),
      verifySequentialVsRaw: +(rawMs / verifySequentialMs).toFixed(2),
      replayVsRaw: +(rawMs / replayParallelMs).toFixed(2),
      replayViaReadAllVsRaw: +(rawMs / replayMs).toFixed(2),
      verifyVsRawParsed: +(rawParseMs / verifyMs).toFixed(2),
      replayVsRawParsed: +(rawParseMs / replayParallelMs).toFixed(2),
      goal: 'verify and replay >= 0.5 x raw read rate',
      verifyMeetsGoal: rawMs / verifyMs >= 0.5,
      replayMeetsGoal: rawMs / replayParallelMs >= 0.5,
      digestMs: Math.round(digestMs),
      bytesRead: bytes,
    };
    console.log('');
    const vs = (ms: number): string => `${(rawMs / ms).toFixed(2)} | ${(rawParseMs / ms).toFixed(2)}`;
    console.log('| measure (same file, same run) | events/s | vs raw read | vs raw read + parse |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| raw read (better-sqlite3 rows, no parse) | ${figures.rawReadPerSec} | ${vs(rawMs)} |`);
    console.log(`| raw read + JSON.parse(data, metadata) | ${figures.rawReadParsedPerSec} | ${vs(rawParseMs)} |`);
    console.log(`| store readAll (parsed events) | ${figures.storeReadAllPerSec} | ${vs(readAllMs)} |`);
    console.log(`| audit verify, one pass (chains + digests) | ${figures.verifySequentialPerSec} | ${vs(verifySequentialMs)} |`);
    console.log(`| audit verify, ${figures.cores} slices in worker threads | ${figures.verifyPerSec} | ${vs(verifyMs)} |`);
    console.log(`| replay via store readAll + evolve, one thread | ${figures.replayViaReadAllPerSec} | ${vs(replayMs)} |`);
    console.log(`| audit replay (rows, data parsed, evolve), ${figures.cores} shares in worker threads | ${figures.replayPerSec} | ${vs(replayParallelMs)} |`);
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
