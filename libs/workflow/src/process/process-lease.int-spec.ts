import { openPostgresEventStore, type PostgresEventStore, type PostgresLease } from '@cbec/event-store';
import { builtInCalendarPath, readCalendarFile, WorkingDayCalendar } from '../calendar';
import { deterministicId } from '@cbec/platform';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { PostgresProcessStateStore } from './postgres-process-state.store';
import { leaseProcess } from './process-lease';
import { ProcessManager } from './process-manager';

/**
 * Two servers on one database: the approval process runs in the one holding the lease; when that one goes
 * away, the other takes over and folds on from the checkpoint.
 */
const calendar = new WorkingDayCalendar(readCalendarFile(builtInCalendarPath()));
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeOnPostgres('the approval process on PostgreSQL: one server at a time, under a lease', () => {
  let database: TestDatabase;
  let events: PostgresEventStore;
  const servers: Array<{ manager: ProcessManager; state: PostgresProcessStateStore; lease: PostgresLease }> = [];

  beforeAll(async () => {
    database = await createTestDatabase('process-lease');
    events = openPostgresEventStore({ connectionString: database.url, pollIntervalMs: 20 });
  });
  afterAll(async () => {
    for (const { manager, state, lease } of servers) {
      await lease.stop();
      await manager.stop();
      await state.close();
    }
    await events?.close();
    await database?.drop();
  });

  const server = (): (typeof servers)[number] => {
    const state = new PostgresProcessStateStore(database.url);
    const manager = new ProcessManager({
      events,
      state,
      calendar,
      clock: { now: () => new Date('2019-09-20T02:00:00Z') },
      dispatcher: { dispatch: async () => ({ outcome: 'done' }) },
      tickIntervalMs: 0,
      approvalGraceMs: 60_000,
      logger: silent,
    });
    const lease = leaseProcess(manager, database.url, { error: () => undefined }, 100);
    const s = { manager, state, lease };
    servers.push(s);
    return s;
  };

  const submit = async (applicationId: string): Promise<number> =>
    (
      await events.append(
        `application-${applicationId}`,
        [
          {
            eventId: deterministicId('lease', applicationId),
            type: 'ApplicationSubmitted',
            data: { applicationId, leadUnit: 'FIN', cooperatingUnits: ['COM'], beneficiary: { uscc: '91341500MA2010017C' } },
            metadata: {
              correlationId: applicationId,
              causationId: null,
              commandId: applicationId,
              actor: { user: 'a', unit: 'COM', role: 'officer' },
              occurredAt: '2019-09-20T02:00:00.000Z',
              policyVersion: null,
            },
          },
        ],
        { expectedVersion: 'no-stream' },
      )
    ).lastGlobalPosition;

  it('folds the log in the holder only; the other takes over from the checkpoint when the holder goes away', async () => {
    const [a, b] = [server(), server()];
    const first = await submit('L-1');
    await until(async () => (a.lease.held || b.lease.held) && (await a.state.checkpoint()) >= first, 'a holder to fold L-1');
    expect([a.lease.held, b.lease.held].filter(Boolean)).toHaveLength(1);
    const [holder, other] = a.lease.held ? [a, b] : [b, a];

    // The holder goes away and never comes back (a dead server retries nothing): its lease is free. That a
    // SIGKILLed holder's lease frees itself, PostgreSQL ending its connection, is postgres-lease.int-spec.ts's case.
    await holder.lease.stop();
    await until(() => other.lease.held, 'the other server to take the lease');
    expect(holder.lease.held).toBe(false);
    const second = await submit('L-2');
    await other.manager.caughtUp(second, 10_000);
    expect(await other.state.getCase('L-2')).toMatchObject({ status: 'submitted', awaiting: ['FIN'] });
    expect(await other.state.getCase('L-1')).toMatchObject({ status: 'submitted' });
    // Its own deadlines (10 s per wait) say what it waits for; this only keeps Jest's 5 s default from cutting in first on a loaded machine.
  }, 30_000);
});
