import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '@cbec/event-store';
import { AccountsService, AggregateStore, authSettingsFromEnv, mintToken, PasswordHasher, PostgresAuthStore, PostgresTokenRevocations } from '@cbec/platform';
import { e2eOnPostgres, engineEnv } from './support/e2e-engine';
import { eventually, type ServerProcess, startServer } from './support/process-child-server';

/**
 * Two servers, each with a data folder of its own, on ONE database (DATABASE_URL) and one mounted JWT
 * secret (CBEC_JWT_SECRET_FILE): what a login, a logout, a revocation and a read on one server mean on the
 * other. Runs in the e2e-pg project only (two servers on one SQLite data folder: cluster-mode.e2e-spec).
 */
const SECRET = 'a-shared-secret-mounted-on-every-server-0123456789';
const PASSWORD = 'Lu-an-2019!';

const suite = e2eOnPostgres() ? describe : describe.skip;
if (!e2eOnPostgres()) console.log('SKIPPED: shared-database.e2e-spec: servers sharing one database need PostgreSQL; it runs in the e2e-pg project');

suite('servers sharing one database (issue 20)', () => {
  let root: string;
  let databaseUrl: string;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cbec-shared-db-'));
    writeFileSync(join(root, 'jwt-secret'), SECRET, { mode: 0o600 });
    databaseUrl = (await engineEnv(join(root, 'a'))).DATABASE_URL!;
    const env = { DATABASE_URL: databaseUrl, CBEC_JWT_SECRET_FILE: join(root, 'jwt-secret') };
    [a, b] = await Promise.all([startServer(join(root, 'a'), env), startServer(join(root, 'b'), env)]);
    // The operator adds an account as `cli users add` does with DATABASE_URL: credentials in the database.
    const store = await PostgresEventStore.open({ connectionString: databaseUrl, logger: { error: () => undefined } });
    const auth = new PostgresAuthStore(databaseUrl);
    try {
      const settings = authSettingsFromEnv({});
      const id = randomUUID();
      await new AccountsService(new AggregateStore(store), store, auth, auth, new PasswordHasher(settings.scrypt), settings).create(
        { username: 'fin-li', unit: 'FIN', role: 'officer', password: PASSWORD },
        { commandId: id, correlationId: id, causationId: null, actor: { user: 'cli', unit: 'ADMIN', role: 'admin' }, now: new Date() },
      );
    } finally {
      await auth.close();
      await store.close();
    }
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    rmSync(root, { recursive: true, force: true });
  }, 30_000);

  const get = async (server: ServerProcess, path: string, headers: Record<string, string>): Promise<number> =>
    (await fetch(server.url(path), { headers })).status;

  it('a login on one server is a session on the other, and a logout on the first ends it on both', async () => {
    const login = await fetch(a.url('/api/v1/session'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'fin-li', password: PASSWORD }),
    });
    expect(login.status).toBe(201);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const who = await fetch(b.url('/api/v1/session'), { headers: { Cookie: cookie } });
    expect([who.status, ((await who.json()) as { user: string; authenticatedBy: string }).authenticatedBy]).toEqual([200, 'session']);

    // The session is a row of the database, not of either data folder.
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      expect((await db.query("SELECT count(*)::int AS n FROM auth_sessions WHERE username = 'fin-li'")).rows[0].n).toBe(1);
    } finally {
      await db.end();
    }

    // A read on B is in the one read log an auditor queries on A.
    expect(await get(b, '/api/v1/applications/no-such-case', { Cookie: cookie })).toBe(404);
    const auditor = { Authorization: `Bearer ${mintToken(SECRET, { sub: 'audit-wang', unit: 'AUDIT', role: 'auditor' })}` };
    const reads = await eventually(
      "B's read in the read log, asked on A",
      async () =>
        ((await (await fetch(a.url('/api/v1/audit/reads?user=fin-li'), { headers: auditor })).json()) as { reads?: Array<{ path: string; status: number }> })
          .reads ?? [],
      (rows) => rows.length > 0,
      5_000,
    );
    expect(reads).toEqual([expect.objectContaining({ path: '/api/v1/applications/no-such-case', status: 404 })]);

    const logout = await fetch(a.url('/api/v1/session'), { method: 'DELETE', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken } });
    expect(logout.status).toBe(204);
    expect(await get(b, '/api/v1/session', { Cookie: cookie })).toBe(401);
  });

  it('a token minted with the shared secret is good on both servers until its subject is revoked, then refused by both', async () => {
    const token = { Authorization: `Bearer ${mintToken(SECRET, { sub: 'fin-zhao', unit: 'FIN', role: 'officer' })}` };
    expect([await get(a, '/api/v1/session', token), await get(b, '/api/v1/session', token)]).toEqual([200, 200]);
    // As `cli token revoke --sub fin-zhao` does with DATABASE_URL.
    const list = new PostgresTokenRevocations(databaseUrl);
    await list.revokeSubject('fin-zhao', new Date(Date.now() + 1000));
    await list.close();
    // Each server re-reads the list at most a second later.
    await eventually(
      'both servers refuse the revoked token',
      async () => [await get(a, '/api/v1/session', token), await get(b, '/api/v1/session', token)],
      (s) => s.every((x) => x === 401),
      5_000,
    );
  });
});
