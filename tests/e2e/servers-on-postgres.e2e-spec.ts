import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { JWT_SECRET_FILE } from '@cbec/platform';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../libs/event-store/src/testing/postgres-test-database';
import { READ_MODELS_FILE } from '../../libs/projections/src/read-models';
import { PROJECTOR_LEASE } from '../../libs/projections/src/runner/leased-projector';
import { uscc } from '../../libs/projections/src/testing/scenario';
import { bearer, call, eventually, requireBuild, type ServerProcess, startServer } from './support/process-child-server';

jest.setTimeout(120_000);

/**
 * Two built servers (child processes, two data folders) on ONE PostgreSQL database: the read models are
 * in the database, not in either folder; a write on one is read back on the other with `minPosition`;
 * the projector runs in the server holding its lease, and when that server is SIGKILLed the other takes
 * over within seconds and resumes from the stored checkpoints.
 */
describeOnPostgres('two servers on one PostgreSQL database share the read models', () => {
  let database: TestDatabase;
  let dirA: string;
  let dirB: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    requireBuild();
    database = await createTestDatabase('two_servers');
    dirA = mkdtempSync(join(tmpdir(), 'cbec-pg-server-a-'));
    dirB = mkdtempSync(join(tmpdir(), 'cbec-pg-server-b-'));
  });
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((s) => s.kill()));
    for (const dir of [dirA, dirB]) if (dir) rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  }, 60_000);

  async function submit(server: ServerProcess, dir: string, beneficiary: string): Promise<{ id: string; position: number }> {
    const res = await call(server, 'POST', '/api/v1/applications', bearer(dir, 'COM', 'officer'), {
      program: 'P1',
      year: 2019,
      beneficiary: { uscc: beneficiary, kind: 'enterprise' },
      claims: { otherMunicipalTradeAward: false },
    });
    expect(res.status).toBe(201);
    return { id: res.body.applicationId as string, position: res.body.position as number };
  }

  it('reads a write of server A on server B with minPosition, and B projects once A is killed', async () => {
    const env = { DATABASE_URL: database.url, CBEC_PROCESS_TICK_MS: '0' };
    const a = await startServer(dirA, env);
    servers.push(a);
    // One identity for both servers (an operator would share the secret the same way).
    copyFileSync(join(dirA, JWT_SECRET_FILE), join(dirB, JWT_SECRET_FILE));
    const b = await startServer(dirB, env);
    servers.push(b);

    // The read models are tables of the database; neither folder has a read-model file.
    const query = async <T extends Record<string, unknown>>(sql: string): Promise<T[]> => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query<T>(sql)).rows;
      } finally {
        await client.end();
      }
    };
    const tables = await query<{ tablename: string }>(`SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'read_models'`);
    expect(tables.map((r) => r.tablename)).toEqual(expect.arrayContaining(['projection_checkpoints', 'cases', 'inbox_items', 'fund_years']));
    // The projector's lease (PostgresLease keys its advisory lock by a hash of its name) is held by one server.
    const key = BigInt.asUintN(64, createHash('sha256').update(`cbec-lease:${PROJECTOR_LEASE}`).digest().readBigInt64BE(0));
    // pg_locks lists the whole server's locks: other databases' (other specs' servers) are not this one's leases.
    const leases = () =>
      query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = ${key >> 32n} AND objid = ${key & 0xffffffffn}`,
      );
    expect(await leases()).toEqual([{ n: '1' }]);
    for (const dir of [dirA, dirB]) expect(existsSync(join(dir, READ_MODELS_FILE))).toBe(false);

    // Written on A, read on B: B waits until the checkpoints in the database include the position.
    const first = await submit(a, dirA, uscc(1));
    const onB = await call(b, 'GET', `/api/v1/applications/${first.id}?minPosition=${first.position}`, bearer(dirB, 'COM', 'officer'));
    expect(onB.status).toBe(200);
    expect(onB.body).toMatchObject({ applicationId: first.id, status: 'submitted' });

    // A started first and holds the projector's lease. Killed, its lock goes with its connection.
    await a.kill();
    const second = await submit(b, dirB, uscc(2));
    const started = Date.now();
    // B takes the lease within seconds (it tries every second) and resumes from the stored checkpoints.
    const read = await eventually(
      'server B to project the write after A died',
      () => call(b, 'GET', `/api/v1/applications/${second.id}?minPosition=${second.position}`, bearer(dirB, 'COM', 'officer')),
      (res) => res.status === 200,
      20_000,
    );
    expect(read.body).toMatchObject({ applicationId: second.id, status: 'submitted' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await leases()).toEqual([{ n: '1' }]);
    // Nothing applied twice: the case list counts each case once.
    const list = await call(b, 'GET', `/api/v1/applications?minPosition=${second.position}`, bearer(dirB, 'COM', 'officer'));
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    // The auditors' replay check reads the live read models in the database: equal to a rebuild of the log.
    const replay = await call(b, 'GET', '/api/v1/audit/replay-check', bearer(dirB, 'AUDIT', 'auditor'));
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ ok: true, liveFile: expect.stringMatching(/schema read_models$/), differences: [], failures: [] });
  });
});
