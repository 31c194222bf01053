/**
 * `npm run bench:load-check`: what checking a stream's hash chain costs a command's load
 * (AggregateStore.load with StreamIntegrity, against the same load with a check that does nothing), for
 * streams of 8 (a case), 100 and 1,000 events (a busy year's fund). Warm: the stream was loaded before in
 * this process, so only events appended since are checked; cold: the first load in a process checks every
 * event. One JSON line per size (milliseconds per load, the best of three rounds), then a summary line.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type EventStore, type NewEvent } from '@cbec/event-store';
import { AggregateStore, StreamIntegrity } from '@cbec/platform';

const SIZES = [8, 100, 1000];
const decider = { initialState: (): number => 0, evolve: (n: number): number => n + 1 };

function event(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'FundCommitted',
    data: { applicationId: randomUUID(), amountCny: '100000.00', i, reason: '批准 P2a 六安某企业' },
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      commandId: randomUUID(),
      actor: { user: 'fin-head', unit: 'FIN', role: 'head' },
      occurredAt: new Date().toISOString(),
      policyVersion: 'LZB-2019-4',
    },
  };
}

async function msPerLoad(aggregates: AggregateStore, streamId: string, loads: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < loads; i++) await aggregates.load(streamId, decider);
  return Number(process.hrtime.bigint() - start) / 1e6 / loads;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cbec-load-check-'));
  const store: EventStore = openSqliteEventStore({ directory: dir, synchronous: 'NORMAL' });
  const noCheck = { check: async (): Promise<void> => undefined } as unknown as StreamIntegrity;
  const results = [];
  try {
    for (const n of SIZES) {
      const events = Array.from({ length: n }, (_, i) => event(i));
      for (let i = 0; i < n; i += 200) await store.append(`s-${n}`, events.slice(i, i + 200), { expectedVersion: i === 0 ? 'no-stream' : i - 1 });
    }
    for (const n of SIZES) {
      const loads = n >= 1000 ? 50 : 400;
      let unchecked = Infinity;
      let warm = Infinity;
      let cold = Infinity;
      for (let round = 0; round < 3; round++) {
        unchecked = Math.min(unchecked, await msPerLoad(new AggregateStore(store, noCheck), `s-${n}`, loads));
        const checked = new AggregateStore(store, new StreamIntegrity());
        await checked.load(`s-${n}`, decider);
        warm = Math.min(warm, await msPerLoad(checked, `s-${n}`, loads));
        let total = 0;
        for (let i = 0; i < 20; i++) total += await msPerLoad(new AggregateStore(store, new StreamIntegrity()), `s-${n}`, 1);
        cold = Math.min(cold, total / 20);
      }
      const line = { events: n, uncheckedMs: round3(unchecked), warmCheckedMs: round3(warm), coldCheckedMs: round3(cold) };
      results.push(line);
      console.log(JSON.stringify(line));
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ bench: 'load-check', results }));
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

void main();
