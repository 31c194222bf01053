import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openPostgresEventStore, type EventStore } from '@cbec/event-store';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../../libs/event-store/src/testing/postgres-test-database';
import { Scenario, uscc } from '../../../../libs/projections/src/testing/scenario';
import { runCli } from '../cli';
import { auditCommand } from './audit.command';

/** `npm run cli -- audit digest` in-process, as an operator runs it beside the servers. */
async function digest(env: Record<string, string>, cwd: string): Promise<{ code: number; out: any[]; err: any[] }> {
  const out: unknown[] = [];
  const err: unknown[] = [];
  const code = await runCli([auditCommand], ['audit', 'digest'], { out: (v) => out.push(JSON.parse(JSON.stringify(v))), err: (v) => err.push(v), env, cwd });
  return { code, out, err };
}

describeOnPostgres('cli audit digest on the PostgreSQL log: one chain for every server', () => {
  let database: TestDatabase;
  let dir: string;
  let store: EventStore;

  const treeHeads = async (): Promise<number> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return Number((await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM audit_tree_heads')).rows[0].n);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('cli_audit_digest');
    dir = mkdtempSync(join(tmpdir(), 'cbec-cli-digest-'));
    store = openPostgresEventStore({ connectionString: database.url });
    const s = new Scenario(store);
    await s.allocate(2019, '1000000.00');
    await s.submit('a1', 'P1', uscc(1));
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('signs with the key that signed the stored heads, and refuses (exit 1) with another key, writing nothing', async () => {
    // Each data folder without CBEC_AUDIT_KEY_FILE holds a key of its own: two keys for one database.
    const first = { CBEC_DATA_DIR: join(dir, 'first'), DATABASE_URL: database.url };
    const other = { CBEC_DATA_DIR: join(dir, 'other'), DATABASE_URL: database.url };

    const signed = await digest(first, dir);
    expect([signed.code, signed.err]).toEqual([0, []]);
    expect(signed.out[0]).toMatchObject({ written: true, treeHead: { written: true } });
    expect(await treeHeads()).toBe(1);

    await new Scenario(store).submit('a2', 'P1', uscc(2));
    const refused = await digest(other, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([
      { error: expect.stringMatching(/^audit digest: not signing: the signing key .* is not the one that signed tree head/), code: 'tree-head-refused' },
    ]);
    expect(await treeHeads()).toBe(1);

    const again = await digest(first, dir);
    expect(again.code).toBe(0);
    expect(await treeHeads()).toBe(2);
  });
});
