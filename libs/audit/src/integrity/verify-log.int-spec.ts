import { canonicalJson, dropAppendOnlyGuards, hashFromCanonicalParts } from '@cbec/event-store';
import Database from 'better-sqlite3';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AuditContext } from '../audit-context';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir } from '../testing/audit-fixture';
import type { AuditVerifyReport } from './verify-log';

/**
 * Issue 6, "Done when": tampering with the SQLite file in each way is named by `verify`; an untouched log
 * verifies clean. Every test starts from a copy of one seeded data folder (log + signed digest).
 */
describe.each([
  ['in one pass', 'sequential' as const],
  ['in three slices stitched together', { ranges: 3, workers: false }],
])('verify, %s, names every way of tampering with the SQLite log', (_name, mode) => {
  let template: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    template = tempDataDir();
    const store = openTempStore(template);
    const driver = new CaseDriver(store);
    await seedApprovedCase(driver, 'a-0001');
    await driver.caseReadyForDecision('a-0002');
    const ctx = new AuditContext(store, template);
    expect(await ctx.digestNow()).not.toBeNull();
    ctx.close();
    await store.close();
  });

  afterAll(() => {
    for (const d of [template, ...dirs]) rmSync(d, { recursive: true, force: true });
  });

  async function given(tamper: (db: Database.Database) => void): Promise<AuditVerifyReport> {
    const dir = tempDataDir();
    dirs.push(dir);
    cpSync(template, dir, { recursive: true });
    const db = new Database(join(dir, 'events.db'));
    dropAppendOnlyGuards(db);
    tamper(db);
    db.close();
    const store = openTempStore(dir);
    const ctx = new AuditContext(store, dir);
    try {
      return await ctx.verify(undefined, undefined, mode);
    } finally {
      ctx.close();
      await store.close();
    }
  }

  const row = (db: Database.Database, stream: string, version: number) =>
    db.prepare('SELECT * FROM events WHERE stream_id = ? AND version = ?').get(stream, version) as Record<string, string | number>;

  it('verifies an untouched log clean', async () => {
    const report = await given(() => undefined);
    expect(report.breaks).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.digests.checked).toBe(1);
    expect(report.eventsChecked).toBeGreaterThan(15);
  });

  it('names the edited event when a payload is changed in place', async () => {
    let approved = { stream_id: '', version: -1 };
    const report = await given((db) => {
      approved = db.prepare(`SELECT stream_id, version FROM events WHERE type = 'AwardApproved'`).get() as typeof approved;
      db.prepare(`UPDATE events SET data = replace(data, '"amountCny":"8000.00"', '"amountCny":"80000.00"') WHERE type = 'AwardApproved'`).run();
    });
    expect(approved).toEqual({ stream_id: 'application-a-0001', version: 6 });
    expect(report.ok).toBe(false);
    const first = report.firstBreakByStream['application-a-0001'];
    expect(first).toMatchObject({ kind: 'hash-mismatch', streamId: 'application-a-0001', version: 6 });
    expect(first.expected).not.toEqual(first.found);
  });

  it('accepts a payload stored with other whitespace and key order but the same meaning', async () => {
    const report = await given((db) => {
      const { data } = row(db, 'application-a-0001', 0);
      const reordered = Object.fromEntries(Object.entries(JSON.parse(data as string) as Record<string, unknown>).reverse());
      db.prepare(`UPDATE events SET data = ? WHERE stream_id = 'application-a-0001' AND version = 0`).run(JSON.stringify(reordered, null, 2));
    });
    expect(report.breaks).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('names the event whose stored payload is no longer JSON', async () => {
    const report = await given((db) => {
      db.prepare(`UPDATE events SET data = substr(data, 2) WHERE stream_id = 'application-a-0001' AND version = 1`).run();
    });
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'unreadable-event', streamId: 'application-a-0001', version: 1 }),
        expect.objectContaining({ kind: 'hash-mismatch', streamId: 'application-a-0001', version: 1 }),
      ]),
    );
  });

  it('names the gap when an event is deleted from the middle of a stream', async () => {
    const report = await given((db) => {
      db.prepare(`DELETE FROM events WHERE stream_id = 'application-a-0001' AND version = 2`).run();
    });
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'version-gap', streamId: 'application-a-0001', version: 3, expected: '2', found: '3' }),
        expect.objectContaining({ kind: 'broken-link', streamId: 'application-a-0001', version: 3 }),
        expect.objectContaining({ kind: 'position-gap' }),
      ]),
    );
  });

  it('names the stream when two events are swapped', async () => {
    const report = await given((db) => {
      const swap = db.transaction(() => {
        db.prepare(`UPDATE events SET version = 1000 WHERE stream_id = 'application-a-0001' AND version = 2`).run();
        db.prepare(`UPDATE events SET version = 2 WHERE stream_id = 'application-a-0001' AND version = 3`).run();
        db.prepare(`UPDATE events SET version = 3 WHERE stream_id = 'application-a-0001' AND version = 1000`).run();
      });
      swap();
    });
    expect(report.ok).toBe(false);
    expect(report.firstBreakByStream['application-a-0001']).toMatchObject({ kind: 'version-gap', streamId: 'application-a-0001', expected: '2', found: '3' });
    expect(report.breaks.filter((b) => b.kind === 'hash-mismatch' && b.streamId === 'application-a-0001').length).toBeGreaterThan(0);
  });

  it('names the missing heads when the tail of the log is truncated', async () => {
    let head = 0;
    const report = await given((db) => {
      head = (db.prepare('SELECT max(global_position) AS p FROM events').get() as { p: number }).p;
      db.prepare('DELETE FROM events WHERE global_position > ?').run(head - 3);
    });
    expect(report.ok).toBe(false);
    // The chains that remain are intact; only the signed digest knows what is gone.
    expect(report.breaks.filter((b) => ['hash-mismatch', 'broken-link', 'version-gap'].includes(b.kind))).toEqual([]);
    expect(report.breaks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'log-truncated', expected: String(head), found: String(head - 3) }),
        expect.objectContaining({ kind: 'digest-head-missing', streamId: 'application-a-0002' }),
      ]),
    );
  });

  it('names the stream rewritten with recomputed hashes, which no chain check alone can see', async () => {
    const report = await given((db) => {
      const rows = db.prepare(`SELECT * FROM events WHERE stream_id = 'fund-2019' ORDER BY version`).all() as Record<string, string | number>[];
      let prev = '0'.repeat(64);
      const update = db.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE global_position = ?');
      for (const r of rows) {
        const data = JSON.parse(r.data as string) as Record<string, unknown>;
        if (r.type === 'FundBudgetAllocated') data.amountCny = '9000000.00';
        const dataText = canonicalJson(data);
        const hash = hashFromCanonicalParts(
          {
            streamId: r.stream_id as string,
            version: r.version as number,
            eventId: r.event_id as string,
            type: r.type as string,
            schemaVersion: r.schema_version as number,
            prevHash: prev,
          },
          dataText,
          r.metadata as string,
        );
        update.run(dataText, prev, hash, r.global_position);
        prev = hash;
      }
      expect(row(db, 'fund-2019', 0).prev_hash).toBe('0'.repeat(64));
    });
    expect(report.ok).toBe(false);
    expect(report.breaks.filter((b) => ['hash-mismatch', 'broken-link', 'version-gap'].includes(b.kind))).toEqual([]);
    expect(report.firstBreakByStream['fund-2019']).toMatchObject({ kind: 'digest-head-mismatch', streamId: 'fund-2019', version: 1 });
  });

  it('refuses digests signed with another key than the one the auditor holds', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const foreign = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const dir = tempDataDir();
    dirs.push(dir);
    cpSync(template, dir, { recursive: true });
    const store = openTempStore(dir);
    const ctx = new AuditContext(store, dir);
    const report = await ctx.verify(foreign, 'auditor copy', mode);
    ctx.close();
    await store.close();
    expect(report.breaks).toEqual([expect.objectContaining({ kind: 'digest-signature', digestSeq: 1 })]);
  });
});
