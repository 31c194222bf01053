import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';

/**
 * The PostgreSQL server the PostgreSQL specs run against: `CBEC_TEST_DATABASE_URL`, else the local server
 * with trust auth. Each spec file creates a database of its own on it and drops it afterwards, so runs
 * never see each other's rows and nothing is left behind.
 */
export const POSTGRES_TEST_SERVER_URL = process.env.CBEC_TEST_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

let probed: string | null | undefined;

/** Why the PostgreSQL specs cannot run here (null: the server answers). Asked once per test file. */
export function postgresUnavailableReason(): string | null {
  if (probed !== undefined) return probed;
  const script =
    "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});" +
    "c.connect().then(()=>c.query('SELECT 1')).then(()=>c.end()).then(()=>process.exit(0),(e)=>{process.stderr.write(String(e&&e.message||e));process.exit(1)})";
  const probe = spawnSync(process.execPath, ['-e', script, POSTGRES_TEST_SERVER_URL], {
    cwd: resolve(__dirname, '../../../..'),
    encoding: 'utf8',
    timeout: 10_000,
  });
  probed =
    probe.status === 0
      ? null
      : `no PostgreSQL server answers at ${redact(POSTGRES_TEST_SERVER_URL)} (${(probe.stderr || probe.error?.message || 'no answer').trim()})`;
  return probed;
}

/**
 * `describe` on PostgreSQL: runs when the server answers; otherwise prints a skip line and counts the
 * suite as skipped, except under CI=true, where a missing server fails the run.
 */
export function describeOnPostgres(name: string, body: () => void): void {
  const reason = postgresUnavailableReason();
  if (reason === null) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a PostgreSQL server (CI=true: a missing one fails the run)', () => {
        throw new Error(`${reason}. Start it: pg_ctlcluster --skip-systemctl-redirect 15 main start, or set CBEC_TEST_DATABASE_URL`);
      });
    });
    return;
  }
  console.log(`SKIPPED: ${name}: ${reason}. Run it with a server there, or set CBEC_TEST_DATABASE_URL=postgres://user@host:port/db`);
  describe.skip(name, body);
}

export interface TestDatabase {
  /** The connection string of the new, empty database. */
  url: string;
  name: string;
  /** Drops the database, ending any connection still open to it (a killed child's, say). */
  drop(): Promise<void>;
}

/** Creates an empty database on the test server, named after `label`, process and a random part. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `cbec_${label
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase()
    .slice(0, 24)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_TEST_SERVER_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}
