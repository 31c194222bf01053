import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { openPostgresEventStore, type PostgresEventStore } from '@cbec/event-store';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { AuditContext } from '../audit-context';
import { CaseDriver, tempDataDir } from '../testing/audit-fixture';
import { checkDigestChain } from './digest';
import { inlineDigestFollower, LeasedDigestWriter, signingKeyRefusal } from './leased-digest-writer';
import { rotateSigningKey } from './tree/key-rotation';

const quiet = { log: () => undefined, error: () => undefined };

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

/** One server: its own connections to the log and the audit tables, its own data folder, the shared key. */
interface Server {
  name: string;
  store: PostgresEventStore;
  audit: AuditContext;
  /** How many times this server started writing (took the lease). */
  opened: number;
  /** Why it refused to sign, when it did. */
  refusals: string[];
  lease: LeasedDigestWriter | null;
}

/**
 * The digests and tree heads of servers sharing one PostgreSQL database: one chain of each in the database,
 * written by whichever server holds the `digest-writer` lease; the others write nothing, and take over from
 * the last digest and head stored when the holder stops or loses its connection.
 */
describeOnPostgres('the digest writer under the digest-writer lease (PostgreSQL)', () => {
  let database: TestDatabase;
  let keyDir: string;
  const servers: Server[] = [];

  const server = (name: string, keyFile = join(keyDir, 'audit-signing-key.pem')): Server => {
    const store = openPostgresEventStore({ connectionString: database.url, pollIntervalMs: 20 });
    const audit = new AuditContext(store, tempDataDir(`cbec-${name}-`), () => new Date(), 5, { keyFile, databaseUrl: database.url });
    const s: Server = { name, store, audit, opened: 0, refusals: [], lease: null };
    servers.push(s);
    return s;
  };
  const lease = (s: Server): LeasedDigestWriter => {
    s.lease = new LeasedDigestWriter(
      () => {
        s.opened++;
        return inlineDigestFollower(s.audit, { logger: quiet, followIntervalMs: 20, treeHeadIntervalMs: 50, treePollIntervalMs: 20 });
      },
      {
        connectionString: database.url,
        logger: quiet,
        leaseIntervalMs: 100,
        refusal: () => signingKeyRefusal(s.audit),
        onRefused: (reason) => s.refusals.push(reason),
      },
    );
    s.lease.start();
    return s.lease;
  };
  /**
   * Whether the database's tree heads cover the log up to its head and its digests reach past `after`
   * (a digest every 5 events: the last events wait for the next one, or the shutdown digest).
   */
  const covered = async (audit: AuditContext, after: number): Promise<boolean> => {
    const head = await audit.store.headPosition();
    const [digest, tree] = [await audit.digests().last(), await audit.treeHeads().last()];
    return (digest?.body.globalPosition ?? 0) > after && tree?.lastPosition === head;
  };
  const lastDigestPosition = async (audit: AuditContext): Promise<number> => (await audit.digests().last())?.body.globalPosition ?? 0;

  beforeEach(async () => {
    database = await createTestDatabase('audit-lease');
    keyDir = tempDataDir('cbec-audit-key-');
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      await s.lease?.stop();
      await s.audit.close();
      await s.store.close();
      rmSync(s.audit.files.dataDir, { recursive: true, force: true });
    }
    rmSync(keyDir, { recursive: true, force: true });
    await database?.drop();
  }, 30_000);

  it('writes one chain in the database from the lease holder alone; the next holder resumes from it', async () => {
    const [a, b] = [server('a'), server('b')];
    const driver = new CaseDriver(a.store);
    lease(a);
    await until(() => a.lease!.writing, 'server A to take the lease');
    lease(b);
    await driver.allocate();
    await driver.caseReadyForDecision('a-1');
    await until(() => covered(a.audit, 0), "A's digests and tree heads to cover the log");
    expect([b.lease!.writing, b.opened]).toEqual([false, 0]); // B waits and writes nothing

    // A shuts down: its shutdown digest covers the log, then B takes over within seconds and goes on from it.
    await a.lease!.stop();
    expect(await b.audit.digests().last()).toMatchObject({ body: { reason: 'shutdown', globalPosition: await a.store.headPosition() } });
    const tookMs = await until(() => b.lease!.writing, 'server B to take the lease');
    expect(tookMs).toBeLessThan(5_000);
    let after = await lastDigestPosition(b.audit);
    await driver.caseReadyForDecision('a-2');
    await until(() => covered(b.audit, after), "B's digests and tree heads to cover the log");

    // B's connection to the lease dies (as when its server is cut off): B stops writing at once, and a
    // server that takes the lease (A again here, or B once its connection is back) resumes from the table.
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      expect(rows).toHaveLength(1);
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    } finally {
      await admin.end();
    }
    await until(() => !b.lease!.writing, 'server B to stop writing');
    lease(a);
    await until(() => a.lease!.writing || b.lease!.writing, 'a server to take the lease again');
    after = await lastDigestPosition(a.audit);
    await driver.caseReadyForDecision('a-3');
    await until(() => covered(a.audit, after), 'the digests and tree heads to cover the log after the loss');
    await a.lease!.stop();
    await b.lease!.stop();

    // One chain, one sequence of growing heads, no digest or head twice: the log verifies clean.
    const digests = await a.audit.digests().all();
    expect(digests.map((d) => d.body.seq)).toEqual(digests.map((_, i) => i + 1));
    expect(checkDigestChain(digests, a.audit.signingKey().publicKey).breaks).toEqual([]);
    expect(digests.at(-1)?.body.globalPosition).toBe(await a.store.headPosition());
    const sizes = (await a.audit.treeHeads().heads()).map((h) => h.treeSize);
    expect(sizes).toEqual([...new Set(sizes)].sort((x, y) => x - y));
    expect(sizes.at(-1)).toBe(await a.store.headPosition());
    expect(b.opened).toBeGreaterThanOrEqual(1);
    const report = await b.audit.verify();
    expect([report.ok, report.breaks]).toEqual([true, []]);
    expect(report.tree?.ok).toBe(true);
  }, 60_000);

  it('signs nothing with a key the stored heads do not lead to, and gives the lease up to a server with the right one', async () => {
    const a = server('a');
    const driver = new CaseDriver(a.store);
    lease(a);
    await until(() => a.lease!.writing, 'server A to take the lease');
    await driver.allocate();
    await until(() => covered(a.audit, -1), 'the first tree head');
    await a.lease!.stop();
    const heads = await a.audit.treeHeads().heads();

    // B was started with a key of its own: it takes the lease, refuses, and lets it go for good.
    const b = server('b', join(keyDir, 'other-key.pem'));
    lease(b);
    await until(() => b.refusals.length > 0, 'server B to refuse');
    expect(b.refusals[0]).toContain('no rotation recorded in the log links them');
    expect([b.opened, b.lease!.writing]).toEqual([0, false]);
    await driver.caseReadyForDecision('a-1');
    const c = server('c');
    lease(c);
    await until(() => c.lease!.writing, 'server C, with the shared key, to take the lease B gave up');
    await until(() => covered(c.audit, 0), "C's tree heads to cover the log");
    expect((await c.audit.treeHeads().heads()).slice(0, heads.length)).toEqual(heads);
    await c.lease!.stop();

    // A rotation recorded in the log links the next key to the stored heads: a server with it signs on.
    const nextKey = join(keyDir, 'next-key.pem');
    await rotateSigningKey(c.store, c.audit.signingKey(), nextKey, { user: 'custodian' });
    const d = server('d', nextKey);
    lease(d);
    await until(() => covered(d.audit, 0), "D's tree head over the rotation");
    await d.lease!.stop();
    expect(d.refusals).toEqual([]);
    const report = await a.audit.verify(a.audit.signingKey().publicKeyPem(), 'the first key');
    expect([report.ok, report.breaks]).toEqual([true, []]);
  }, 60_000);
});
