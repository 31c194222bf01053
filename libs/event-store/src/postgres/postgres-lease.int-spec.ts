import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../testing/postgres-test-database';
import { PostgresLease } from './postgres-lease';

const register = join(__dirname, '../../test-support/ts-register.js');

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

describeOnPostgres('PostgresLease: one holder at a time, another within seconds of its death', () => {
  let database: TestDatabase;
  const leases: PostgresLease[] = [];
  beforeAll(async () => {
    database = await createTestDatabase('lease');
  });
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((lease) => lease.stop()));
  });
  afterAll(async () => {
    await database?.drop();
  });

  const lease = (name: string, log: string[], who: string) => {
    const l = new PostgresLease({
      connectionString: database.url,
      name,
      intervalMs: 100,
      onAcquired: () => void log.push(`${who} runs`),
      onReleased: () => void log.push(`${who} stops`),
    });
    leases.push(l);
    l.start();
    return l;
  };

  it('lets one of three servers hold it, and hands it over when the holder stops', async () => {
    // Given three servers asking for the same lease
    const log: string[] = [];
    const servers = ['a', 'b', 'c'].map((who) => lease('relay', log, who));
    await until(() => servers.some((s) => s.held), 'a holder', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Then exactly one holds it
    const holders = servers.filter((s) => s.held);
    expect(holders).toHaveLength(1);
    // When the holder stops, another takes it
    await holders[0].stop();
    await until(() => servers.filter((s) => s.held).length === 1, 'a new holder', 5_000);
    expect(log.filter((line) => line.endsWith('runs'))).toHaveLength(2);
    expect(log.filter((line) => line.endsWith('stops'))).toHaveLength(1);
  });

  it('is taken over within seconds when the holding process is killed with SIGKILL', async () => {
    // Given another process holding the lease
    const script = `require(${JSON.stringify(register)});
      const { PostgresLease } = require(${JSON.stringify(join(__dirname, 'postgres-lease.ts'))});
      new PostgresLease({ connectionString: process.argv[1], name: 'digest', intervalMs: 100,
        onAcquired: () => process.stdout.write('HELD\\n'), onReleased: () => undefined }).start();`;
    const child = spawn(process.execPath, ['-e', script, database.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => out.includes('HELD'), 'the child to hold the lease', 10_000);
    const log: string[] = [];
    const waiting = lease('digest', log, 'here');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(waiting.held).toBe(false);
    // When it is killed
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Then this server holds it within seconds
    const ms = await until(() => waiting.held, 'the takeover', 5_000);
    expect(ms).toBeLessThan(5_000);
    expect(log).toEqual(['here runs']);
  });
});
