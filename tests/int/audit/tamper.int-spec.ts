import { canonicalJson, dropAppendOnlyGuards, hashFromCanonicalParts } from '@cbec/event-store';
import Database from 'better-sqlite3';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../../apps/cli/src/cli';
import { auditCommand } from '../../../apps/cli/src/commands/audit.command';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir } from '../../../libs/audit/src/testing/audit-fixture';

/** `npm run cli -- audit ...`, in-process. */
async function cli(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; out: any; err: any[] }> {
  const out: unknown[] = [];
  const err: unknown[] = [];
  const io: CliIo = { out: (v) => out.push(JSON.parse(JSON.stringify(v))), err: (v) => err.push(v), env, cwd };
  const code = await runCli([auditCommand], ['audit', ...args], io);
  return { code, out: out[0], err };
}

type Row = Record<string, string | number>;

/**
 * Issue 18, "Done means": an insider with write access to the data folder (and its key) tampers with the
 * log in each way that left `audit verify` clean before the Merkle tree; `audit verify --trusted-head`
 * with a head an auditor fetched earlier (held outside the folder) names every one. Every case starts
 * from a copy of one seeded folder whose log grew after the auditor took the head.
 */
describe('audit verify --trusted-head catches every way an insider can rewrite the log', () => {
  let template: string;
  let outside: string;
  let trusted: string;
  let witnessDir: string;
  let headSize = 0;
  const dirs: string[] = [];

  beforeAll(async () => {
    template = tempDataDir();
    outside = tempDataDir('cbec-auditor-');
    witnessDir = join(outside, 'witness');
    const store = openTempStore(template);
    const driver = new CaseDriver(store);
    await seedApprovedCase(driver, 'a-0001');
    await store.close();
    const env = { CBEC_DATA_DIR: template, CBEC_AUDIT_WITNESS_DIR: witnessDir };
    expect((await cli(['digest'], env, outside)).code).toBe(0);
    const head = await cli(['tree-head'], env, outside);
    expect(head.code).toBe(0);
    headSize = head.out.treeSize;
    trusted = join(outside, 'trusted-head.json');
    writeFileSync(trusted, JSON.stringify(head.out));
    // The log goes on after the auditor took the head: a second case.
    const later = openTempStore(template);
    await new CaseDriver(later).caseReadyForDecision('a-0002');
    await later.close();
    expect((await cli(['digest'], env, outside)).code).toBe(0);
  });

  afterAll(() => {
    for (const d of [template, outside, ...dirs]) rmSync(d, { recursive: true, force: true });
  });

  function copy(): string {
    const dir = tempDataDir();
    dirs.push(dir);
    cpSync(template, dir, { recursive: true });
    return dir;
  }

  function tamper(dir: string, change: (db: Database.Database) => void): void {
    const db = new Database(join(dir, 'events.db'));
    // An insider drops whatever guards the table first.
    dropAppendOnlyGuards(db);
    change(db);
    db.close();
  }

  /** Rewrites one event's payload and recomputes its hash and every later hash of its stream. */
  function rewriteWithRecomputedHashes(db: Database.Database, stream: string, fromVersion: number, edit: (data: Record<string, unknown>) => void): void {
    const rows = db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY version').all(stream) as Row[];
    let prev = fromVersion === 0 ? '0'.repeat(64) : (rows[fromVersion - 1].hash as string);
    for (const r of rows.slice(fromVersion)) {
      const data = JSON.parse(r.data as string) as Record<string, unknown>;
      if (r.version === fromVersion) edit(data);
      const dataText = canonicalJson(data);
      const fields = {
        streamId: stream,
        version: r.version as number,
        eventId: r.event_id as string,
        type: r.type as string,
        schemaVersion: r.schema_version as number,
        prevHash: prev,
      };
      const hash = hashFromCanonicalParts(fields, dataText, r.metadata as string);
      db.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE global_position = ?').run(dataText, prev, hash, r.global_position);
      prev = hash;
    }
  }

  /** The insider's re-signing: the folder's own digests and tree heads deleted, then `audit digest` run again. */
  async function reSign(dir: string): Promise<void> {
    for (const base of ['audit-digests.db', 'audit-tree.db']) for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, base + suffix), { force: true });
    const resigned = await cli(['digest'], { CBEC_DATA_DIR: dir }, outside);
    expect(resigned.code).toBe(0);
    expect(resigned.out.treeHead.written).toBe(true);
  }

  const verify = (dir: string, head = trusted) => cli(['verify', '--trusted-head', head], { CBEC_DATA_DIR: dir }, outside);
  const kinds = (out: { breaks: { kind: string }[] }) => out.breaks.map((b) => b.kind);

  it('verifies an untouched log that grew since the head, with the RFC 9162 consistency proof', async () => {
    const checked = await verify(copy());
    expect(checked.out.breaks).toEqual([]);
    expect(checked.code).toBe(0);
    expect(checked.out.tree.treeSize).toBeGreaterThan(headSize);
    expect(checked.out.tree.trustedHead).toMatchObject({ treeSize: headSize, signatureValid: true, consistent: true });
    expect(checked.out.tree.trustedHead.consistencyProof.length).toBeGreaterThan(0);
  });

  it('takes the witness file itself as the trusted head (its last line)', async () => {
    const checked = await verify(copy(), join(witnessDir, 'tree-heads.jsonl'));
    expect(checked.code).toBe(0);
    expect(checked.out.tree.trustedHead.treeSize).toBe(checked.out.tree.treeSize);
  });

  it('catches the last events deleted, re-signed or not', async () => {
    const dir = copy();
    tamper(dir, (db) => db.prepare('DELETE FROM events WHERE global_position > ?').run(headSize - 2));
    const plain = await verify(dir);
    expect(plain.code).toBe(1);
    expect(kinds(plain.out)).toContain('trusted-head-beyond-log');
    await reSign(dir);
    const resigned = await verify(dir);
    expect(resigned.code).toBe(1);
    expect(resigned.out.tree.trustedHead).toMatchObject({ consistent: false });
    expect(kinds(resigned.out)).toEqual(['trusted-head-beyond-log']);
  });

  it('catches the tail rewritten with recomputed hashes and everything re-signed, which passes without the trusted head', async () => {
    const dir = copy();
    tamper(dir, (db) => {
      const last = db
        .prepare(`SELECT stream_id, version FROM events WHERE global_position <= ? AND stream_id = 'fund-2019' ORDER BY global_position DESC LIMIT 1`)
        .get(headSize) as Row;
      rewriteWithRecomputedHashes(db, last.stream_id as string, last.version as number, (data) => {
        for (const k of Object.keys(data)) if (k.endsWith('Cny')) data[k] = '9000000.00';
      });
    });
    await reSign(dir);
    const blind = await cli(['verify'], { CBEC_DATA_DIR: dir }, outside);
    expect(blind.out.breaks).toEqual([]);
    const checked = await verify(dir);
    expect(checked.code).toBe(1);
    expect(kinds(checked.out)).toEqual(['trusted-head-not-extended']);
    expect(checked.out.tree.trustedHead).toMatchObject({ treeSize: headSize, consistent: false });
  });

  it('catches two events of different streams swapped in global position', async () => {
    const dir = copy();
    let swapped: Row[] = [];
    tamper(dir, (db) => {
      const rows = db.prepare('SELECT global_position, stream_id FROM events WHERE global_position <= ? ORDER BY global_position').all(headSize) as Row[];
      const i = rows.findIndex((r, k) => k > 0 && r.stream_id !== rows[k - 1].stream_id);
      swapped = [rows[i - 1], rows[i]];
      const move = db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?');
      db.transaction(() => {
        move.run(-1, swapped[0].global_position);
        move.run(swapped[0].global_position, swapped[1].global_position);
        move.run(swapped[1].global_position, -1);
      })();
    });
    expect(swapped[0].stream_id).not.toBe(swapped[1].stream_id);
    await reSign(dir);
    const blind = await cli(['verify'], { CBEC_DATA_DIR: dir }, outside);
    expect(blind.out.breaks).toEqual([]);
    const checked = await verify(dir);
    expect(checked.code).toBe(1);
    expect(kinds(checked.out)).toEqual(['trusted-head-not-extended']);
  });

  it('catches a recorded time edited', async () => {
    const dir = copy();
    tamper(dir, (db) => db.prepare(`UPDATE events SET recorded_at = '2019-12-31T23:59:59.000Z' WHERE global_position = 3`).run());
    const unsigned = await verify(dir);
    expect(unsigned.code).toBe(1);
    // The folder's own heads catch it too, until they are re-signed.
    expect(kinds(unsigned.out)).toEqual(expect.arrayContaining(['tree-head-mismatch', 'trusted-head-not-extended']));
    await reSign(dir);
    const checked = await verify(dir);
    expect(checked.code).toBe(1);
    expect(kinds(checked.out)).toEqual(['trusted-head-not-extended']);
  });

  it('refuses to re-sign a rewritten log while the witness holds the last published head', async () => {
    const dir = copy();
    tamper(dir, (db) => db.prepare(`UPDATE events SET recorded_at = '2019-12-31T23:59:59.000Z' WHERE global_position = 3`).run());
    for (const base of ['audit-digests.db', 'audit-tree.db']) for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, base + suffix), { force: true });
    const refused = await cli(['digest'], { CBEC_DATA_DIR: dir, CBEC_AUDIT_WITNESS_DIR: witnessDir }, outside);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatchObject({ code: 'tree-head-refused' });
    expect(refused.err[0].error).toMatch(/rewritten/);
    expect(existsSync(join(dir, 'audit-digests.db'))).toBe(false);
  });

  it("verify-bundle proves a bundle's log extends the trusted head, and refuses one exported from a rewritten log", async () => {
    const clean = copy();
    expect((await cli(['export', 'application:a-0001', join(clean, 'bundle')], { CBEC_DATA_DIR: clean }, outside)).code).toBe(0);
    const good = await cli(['verify-bundle', join(clean, 'bundle'), '--trusted-head', trusted], {}, outside);
    expect(good.out.problems).toEqual([]);
    expect(good.code).toBe(0);
    expect(good.out.tree).toMatchObject({ trustedHead: { treeSize: headSize, consistent: true } });
    expect(good.out.tree.leavesChecked).toBe(good.out.eventsChecked);

    const dir = copy();
    tamper(dir, (db) => db.prepare(`UPDATE events SET recorded_at = '2019-12-31T23:59:59.000Z' WHERE global_position = 3`).run());
    await reSign(dir);
    expect((await cli(['export', 'application:a-0001', join(dir, 'bundle')], { CBEC_DATA_DIR: dir }, outside)).code).toBe(0);
    const bad = await cli(['verify-bundle', join(dir, 'bundle'), '--trusted-head', trusted], {}, outside);
    expect(bad.code).toBe(1);
    expect(bad.out.problems.map((p: { kind: string }) => p.kind)).toEqual(['trusted-head-not-extended']);
  });

  it('names a trusted head that is not a tree head as bad input', async () => {
    const bad = join(outside, 'not-a-head.json');
    writeFileSync(bad, JSON.stringify({ treeSize: 3 }));
    const answer = await verify(copy(), bad);
    expect(answer.code).toBe(2);
    expect(JSON.stringify(answer.err)).toMatch(/not a signed tree head: \\"log\\" must be/);
  });
});
