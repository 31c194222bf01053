import Database from 'better-sqlite3';
import { SqliteEventStore } from '/work/main/libs/event-store/src/sqlite/sqlite-event-store';
import { MIGRATIONS } from '/work/main/libs/event-store/src/sqlite/migrations';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
const mk = (i: number) => ({ eventId: randomUUID(), type: 'ApplicationSubmitted', data: { applicationId: `app-${i}`, uscc: '91341500MA2T8X7Q1K', program: 'P1', amountMinor: String(i), items: [{ code: 'A1', qty: i % 7 }], note: 'cross-border e-commerce award application, Lu an' }, metadata: { correlationId: randomUUID(), causationId: null, commandId: randomUUID(), actor: { user: 'u-001', unit: 'COM', role: 'clerk' }, occurredAt: '2026-11-25T08:00:00.000Z', policyVersion: '2019-4' } });
const sync = process.argv[2] ?? 'NORMAL'; const N = Number(process.argv[3] ?? 5000);
(async () => {
  const store = new SqliteEventStore({ directory: mkdtempSync('/tmp/ab-'), synchronous: sync as any });
  const raw = new Database(mkdtempSync('/tmp/ab-') + '/raw.db'); raw.pragma('journal_mode = WAL'); raw.pragma(`synchronous = ${sync}`); raw.exec(MIGRATIONS[0].sql);
  const ins = raw.prepare('INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const H = "0".repeat(64); const vm = new Map<number, number>(); let rv = 0; let ov = 0;
  for (let round = 0; round < 4; round++) {
    const evs = Array.from({ length: N }, (_, i) => mk(i));
    let t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) { const e = evs[i]; raw.exec('BEGIN'); ins.run(`s-${i % 2000}`, (vm.set(i % 2000, (vm.get(i % 2000) ?? -1) + 1), vm.get(i % 2000)), e.eventId, e.type, 1, JSON.stringify(e.data), JSON.stringify(e.metadata), new Date().toISOString(), H, H); raw.exec('COMMIT'); }
    const rawUs = Number(process.hrtime.bigint() - t) / N / 1000;
    const evs2 = Array.from({ length: N }, (_, i) => mk(i));
    t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) { await store.append(`s-${i % 2000}`, [evs2[i]] as any, { expectedVersion: 'any' }); ov++; }
    const oursUs = Number(process.hrtime.bigint() - t) / N / 1000;
    const bs = Array.from({ length: 20 }, () => Array.from({ length: 100 }, (_, i) => mk(i)));
    t = process.hrtime.bigint();
    for (let b = 0; b < 20; b++) { raw.exec('BEGIN'); for (const e of bs[b]) ins.run(`b-${round}-${b}`, bs[b].indexOf(e), e.eventId, e.type, 1, JSON.stringify(e.data), JSON.stringify(e.metadata), new Date().toISOString(), H, H); raw.exec('COMMIT'); }
    const rawB = Number(process.hrtime.bigint() - t) / 2000 / 1000;
    const bs2 = Array.from({ length: 20 }, () => Array.from({ length: 100 }, (_, i) => mk(i)));
    t = process.hrtime.bigint();
    for (let b = 0; b < 20; b++) await store.append(`b-${round}-${b}`, bs2[b] as any, { expectedVersion: 'no-stream' });
    const oursB = Number(process.hrtime.bigint() - t) / 2000 / 1000;
    console.log(`  batch: raw ${rawB.toFixed(1)} us/event, ours ${oursB.toFixed(1)} us/event, ratio ${(rawB / oursB).toFixed(2)}`);
    console.log(`round ${round}: raw ${rawUs.toFixed(1)} us/append, ours ${oursUs.toFixed(1)} us/append, ratio ${(rawUs / oursUs).toFixed(2)}`);
  }
})();
(async () => {
  await new Promise((r) => setTimeout(r, 100));
})();
