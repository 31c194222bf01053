import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '@cbec/event-store';
import { runCli, type CliIo } from '../../cli/src/cli';
import { tokenCommand } from '../../cli/src/commands/token.command';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../libs/event-store/src/testing/postgres-test-database';
import type { AddressInfo } from 'node:net';
import { ReportAuth } from './http/report-auth';
import { createReportServer } from './http/report-server';
import { reportingConfigFromEnv } from './reporting-config';
import { ReportingConsumer } from './reporting-consumer';
import { ReportingDb } from './reports/reporting-db';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The consumer checks a reader's token where the workflow servers do (docs/operations.md, the reporting
 * consumer): the servers' shared secret (CBEC_JWT_SECRET_FILE) and the revocation list `cli token revoke`
 * writes: the database's with DATABASE_URL, else the data folder's. Each engine runs the same story,
 * from the environment to the consumer's HTTP answer, with the CLI minting and revoking.
 */
function tokensChecked(engine: 'sqlite' | 'postgres'): void {
  let dir: string;
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  let consumer: ReportingConsumer;
  let base: string;

  const cli = async (...args: string[]): Promise<unknown> => {
    const out: unknown[] = [];
    const err: unknown[] = [];
    const io: CliIo = { out: (v) => out.push(v), err: (v) => err.push(v), env, cwd: dir };
    const code = await runCli([tokenCommand], ['token', ...args], io);
    if (code !== 0) throw new Error(`cli token ${args.join(' ')}: exit ${code} ${JSON.stringify(err)}`);
    return out[0];
  };
  const mint = async (sub: string) => ((await cli('--sub', sub, '--unit', 'FIN', '--role', 'officer')) as { token: string }).token;
  const jtiOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { jti: string }).jti;
  const report = (token: string) => fetch(`${base}/reports/awards`, { headers: { authorization: `Bearer ${token}` } });
  /** The answer once it is no longer 200: a server re-reads the database's list at most a second after a change. */
  const refusedWithin = async (token: string, ms: number): Promise<Response> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const res = await report(token);
      if (res.status !== 200 || Date.now() > deadline) return res;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `reporting-tokens-${engine}-`));
    dataDir = join(dir, 'data');
    // The servers' secret, outside every data folder (as the compose file's `secrets` volume).
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'jwt-secret'), randomBytes(48).toString('base64url') + '\n', { mode: 0o600 });
    env = { CBEC_DATA_DIR: dataDir, CBEC_JWT_SECRET_FILE: join(dir, 'secrets', 'jwt-secret') };
    if (engine === 'postgres') {
      database = await createTestDatabase('reporting_tokens');
      env.DATABASE_URL = database.url;
      mkdirSync(dataDir);
    } else {
      await openSqliteEventStore({ directory: dataDir }).close(); // the server's data folder: `cli token` refuses any other
    }
    const config = reportingConfigFromEnv({
      ...env,
      REPORTING_SOURCE: 'sse',
      REPORTING_TOKEN: 'unused',
      // Nothing listens there: the feed is not what these specs are about, the tokens are.
      REPORTING_FEED_URL: 'http://127.0.0.1:9/api/v1/events/stream',
      REPORTING_DB: ':memory:',
      REPORTING_PORT: '0',
    });
    consumer = new ReportingConsumer(config, quiet);
    base = `http://127.0.0.1:${await consumer.start()}`;
  }, 60_000);

  afterAll(async () => {
    await consumer?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('reads with a token the CLI minted with the servers’ secret (CBEC_JWT_SECRET_FILE), creating no secret in the data folder', async () => {
    expect((await report(await mint('fin-reader'))).status).toBe(200);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
    expect(consumer.tokens?.secret).toBe(join(dir, 'secrets', 'jwt-secret'));
  });

  it('refuses a token after `cli token revoke <jti>` (401 naming the revocation), and another token still reads', async () => {
    const token = await mint('fin-one');
    const other = await mint('fin-one');
    expect((await report(token)).status).toBe(200);
    await cli('revoke', jtiOf(token));
    const refused = await refusedWithin(token, 3000);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toBe(`the token ${jtiOf(token)} is revoked`);
    expect((await report(other)).status).toBe(200);
  });

  it('refuses every token of a user after `cli token revoke --sub` (401 naming the user)', async () => {
    const token = await mint('fin-gone');
    expect((await report(token)).status).toBe(200);
    await cli('revoke', '--sub', 'fin-gone');
    const refused = await refusedWithin(token, 3000);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/^every token of "fin-gone" issued up to .* is revoked: mint a new one$/);
  });

  if (engine === 'postgres') {
    it('keeps no revocation list of its own in the data folder: the database’s is the one', () => {
      expect(consumer.tokens?.revocations).toBe('PostgreSQL (DATABASE_URL)');
      expect(existsSync(join(dataDir, 'revoked-tokens.db'))).toBe(false);
    });

    it('does not start when the database cannot be read, naming the revocation list', async () => {
      const url = new URL(database!.url);
      url.pathname = `/${database!.name}_missing`;
      const config = reportingConfigFromEnv({
        ...env,
        DATABASE_URL: url.toString(),
        REPORTING_SOURCE: 'sse',
        REPORTING_TOKEN: 'unused',
        REPORTING_DB: ':memory:',
        REPORTING_PORT: '0',
      });
      const broken = new ReportingConsumer(config, quiet);
      await expect(broken.start()).rejects.toThrow(/^the revocation list \(PostgreSQL \(DATABASE_URL\)\) cannot be read: .*does not exist/);
      await broken.stop();
    });

    it('refuses a report (503 naming the list) rather than serve it while the revocation list cannot be read', async () => {
      const url = new URL(database!.url);
      url.pathname = `/${database!.name}_missing`;
      const auth = new ReportAuth({ dataDir, databaseUrl: url.toString(), jwtSecretFile: env.CBEC_JWT_SECRET_FILE });
      const db = new ReportingDb(':memory:');
      const server = createReportServer(db, () => ({}), auth);
      try {
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/reports/awards`, {
          headers: { authorization: `Bearer ${await mint('fin-reader')}` },
        });
        expect(res.status).toBe(503);
        expect(((await res.json()) as { detail: string }).detail).toMatch(
          /^the revocation list \(PostgreSQL \(DATABASE_URL\)\) cannot be read: .*does not exist/,
        );
      } finally {
        await new Promise((r) => server.close(r));
        await auth.close();
        db.close();
      }
    });
  } else {
    it('checks the data folder’s list without DATABASE_URL', () => {
      expect(consumer.tokens?.revocations).toBe(`${dataDir}/revoked-tokens.db`);
    });
  }
}

describe('the reporting consumer checks tokens where the servers do, on SQLite', () => tokensChecked('sqlite'));
describeOnPostgres('the reporting consumer checks tokens where the servers do, on PostgreSQL', () => tokensChecked('postgres'));
