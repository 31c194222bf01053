import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort, MAIN, requireBuild, ROOT } from './support/process-child-server';

/**
 * A data folder whose log does not extend the head its witness published (here: the folder was replaced by
 * an empty one, as a restore of the wrong backup would) keeps serving, but its tree-head writer signs
 * nothing over it and says so where operators look: `/health` turns 503 `tree-head-refused` with the reason,
 * and the security log records it (docs/auditing.md, "When the server refuses to sign").
 */
jest.setTimeout(60_000);

describe('a log that does not extend the published tree head', () => {
  let work: string;
  beforeAll(() => requireBuild());
  beforeEach(() => (work = mkdtempSync(join(tmpdir(), 'cbec-tree-refusal-'))));
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('turns /health red with the reason and records it in the security log', async () => {
    const dataDir = join(work, 'data');
    const witnessDir = join(work, 'witness');
    mkdirSync(witnessDir);
    // The witness holds a head over 3 events; the data folder holds none.
    const published = {
      log: 'cbec-audit-log/v1',
      treeSize: 3,
      rootHash: 'ab'.repeat(32),
      timestamp: '2026-01-05T00:00:00.000Z',
      keyId: 'cd'.repeat(32),
      signature: 'c2ln',
    };
    writeFileSync(join(witnessDir, 'tree-heads.jsonl'), JSON.stringify(published) + '\n');

    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), CBEC_DATA_DIR: dataDir, CBEC_AUDIT_WITNESS_DIR: witnessDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      let last: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/health`);
          last = { status: res.status, body: (await res.json()) as Record<string, unknown> };
          if (last.status === 503) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(last.status).toBe(503);
      expect(last.body).toMatchObject({ code: 'tree-head-refused' });
      expect(String(last.body.reason)).toMatch(/the log holds 0 events, fewer than the 3 of the last tree head in the witness: the log was truncated/);
      expect(output).toMatch(/audit tree heads: NOT SIGNING/);

      const security = new Database(join(dataDir, 'audit-security.db'), { readonly: true });
      try {
        const rows = security.prepare("SELECT kind, subject, detail FROM security_events WHERE kind = 'tree-head-refused'").all();
        expect(rows).toEqual([{ kind: 'tree-head-refused', subject: 'audit-tree', detail: expect.stringMatching(/the log was truncated/) }]);
      } finally {
        security.close();
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});
