import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseDecider, caseStreamId, CaseCommand, LZB_2019_4 } from '@cbec/domain';
import { RecordedEvent, SqliteEventStore } from '@cbec/event-store';
import { builtInCalendarPath, readCalendarFile, reviewDueDate, WorkingDayCalendar } from '../calendar';
import { AggregateStore, CommandContext, deterministicId } from '@cbec/platform';
import { AggregateDispatcher, ApprovalResumer, DispatchOutcome, ProcessDispatcher } from './process-dispatcher';
import { ProcessManager, ProcessManagerOptions } from './process-manager';
import { ProcessStateStore, SqliteProcessStateStore } from './process-state.store';
import { ProcessCommand } from './react';

/**
 * The process manager against a real SQLite event store and a real process.db, time moved by hand:
 * deadlines in working days, once-only overdue marks across restarts and instances, approval repair.
 */

const calendar = new WorkingDayCalendar(readCalendarFile(builtInCalendarPath()));
const USCC = '91341500MA2010017C';
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

class MovableClock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

interface World {
  dir: string;
  events: SqliteEventStore;
  aggregates: AggregateStore;
  clock: MovableClock;
  resumed: Array<{ reservationId: string; commandId: string }>;
  manager(processDb?: string, dispatcher?: ProcessDispatcher, extra?: Partial<ProcessManagerOptions>): { pm: ProcessManager; state: ProcessStateStore };
  cleanup(): Promise<void>;
}

function world(): World {
  const dir = mkdtempSync(join(tmpdir(), 'cbec-process-'));
  const events = new SqliteEventStore({ directory: dir, pollIntervalMs: 5, logger: silent });
  const aggregates = new AggregateStore(events);
  const clock = new MovableClock(new Date('2019-09-20T02:00:00Z'));
  const resumed: World['resumed'] = [];
  const approvals: ApprovalResumer = {
    async resumeApproval(r, ctx) {
      resumed.push({ reservationId: r.reservationId, commandId: ctx.commandId });
    },
  };
  const opened: Array<{ pm: ProcessManager; state: ProcessStateStore }> = [];
  return {
    dir,
    events,
    aggregates,
    clock,
    resumed,
    manager(processDb = join(dir, 'process.db'), dispatcher = new AggregateDispatcher(aggregates, clock, approvals), extra = {}) {
      const state = new SqliteProcessStateStore(processDb);
      const pm = new ProcessManager({
        events,
        state,
        calendar,
        clock,
        dispatcher,
        tickIntervalMs: 0,
        approvalGraceMs: 60_000,
        logger: silent,
        ...extra,
      });
      opened.push({ pm, state });
      return { pm, state };
    },
    async cleanup() {
      for (const { pm, state } of opened) {
        await pm.stop();
        await state.close();
      }
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function run(w: World, applicationId: string, command: CaseCommand, user = 'fin-officer'): Promise<number> {
  const ctx: CommandContext = {
    commandId: deterministicId('test', applicationId, command.type, JSON.stringify(command.data)),
    correlationId: `corr-${applicationId}`,
    causationId: null,
    actor: { user, unit: 'FIN', role: 'officer' },
    now: w.clock.now(),
  };
  return (await w.aggregates.execute(caseStreamId(applicationId), caseDecider, command, ctx)).position;
}

/** Submitted 2019-09-20; accepted Fri 2019-09-27 (Beijing), due 10 working days later across National Day. */
async function acceptedCase(w: World, applicationId: string): Promise<{ position: number; dueDate: string }> {
  await run(w, applicationId, {
    type: 'SubmitApplication',
    data: { applicationId, program: 'P2a', year: 2019, beneficiary: { uscc: USCC, kind: 'enterprise' }, claims: {}, submittedBy: 'applicant' },
  });
  w.clock.set('2019-09-27T03:00:00Z');
  const due = reviewDueDate(w.clock.now(), LZB_2019_4.reviewPeriodWorkingDays, calendar);
  const position = await run(w, applicationId, { type: 'AcceptCase', data: { dueDate: due.date, acceptedBy: 'fin-1' } });
  return { position, dueDate: due.date };
}

async function stream(w: World, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of w.events.readStream(streamId)) out.push(e);
  return out;
}

const overdueOf = async (w: World, applicationId: string) => (await stream(w, caseStreamId(applicationId))).filter((e) => e.type === 'ReviewOverdue');

describe('the approval process manager (SQLite store, process.db)', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });
  afterEach(async () => {
    await w.cleanup();
  });

  describe('given a case accepted on Fri 2019-09-27 whose reviews are due Wed 2019-10-16', () => {
    it('the due date counts 10 working days across the National Day holiday', async () => {
      expect((await acceptedCase(w, 'A-1')).dueDate).toBe('2019-10-16');
    });

    it('when the clock reaches the due date nothing happens; the day after, ReviewOverdue is on the case once per pending unit', async () => {
      const { position } = await acceptedCase(w, 'A-1');
      await run(w, 'A-1', { type: 'RecordReviewOpinion', data: { unit: 'CUS', verdict: 'approve', comment: 'ok', author: 'cus-1' } });
      const { pm } = w.manager();
      pm.start();
      await pm.caughtUp(position + 1);

      w.clock.set('2019-10-16T15:00:00Z'); // 23:00 in Lu'an on the due date
      expect((await pm.tick()).dispatched).toEqual([]);
      expect(await overdueOf(w, 'A-1')).toEqual([]);

      w.clock.set('2019-10-17T01:00:00Z');
      await pm.tick();
      const overdue = await overdueOf(w, 'A-1');
      expect(overdue.map((e) => e.data)).toEqual([
        { applicationId: 'A-1', round: 1, unit: 'COM', dueDate: '2019-10-16', asOfDate: '2019-10-17' },
        { applicationId: 'A-1', round: 1, unit: 'PBC', dueDate: '2019-10-16', asOfDate: '2019-10-17' },
      ]);
      expect(overdue[0].metadata).toMatchObject({
        actor: { user: 'approval-process', unit: 'SYSTEM', role: 'system' },
        correlationId: 'corr-A-1',
        occurredAt: '2019-10-17T01:00:00.000Z',
      });

      w.clock.set('2019-10-21T01:00:00Z');
      await pm.tick();
      await pm.caughtUp(overdue[1].globalPosition);
      await pm.tick();
      expect(await overdueOf(w, 'A-1')).toHaveLength(2);
    });

    it('after a restart (a new manager on the same process.db) it resumes from its checkpoint and marks nothing twice', async () => {
      const { position } = await acceptedCase(w, 'A-1');
      const first = w.manager();
      first.pm.start();
      await first.pm.caughtUp(position);
      w.clock.set('2019-10-17T01:00:00Z');
      await first.pm.tick();
      await first.pm.stop();
      await first.state.close();

      const second = w.manager();
      expect(await second.state.checkpoint()).toBeGreaterThanOrEqual(position);
      second.pm.start();
      w.clock.set('2019-10-18T01:00:00Z');
      await second.pm.tick();
      await second.pm.tick();
      expect(await overdueOf(w, 'A-1')).toHaveLength(3);
    });

    it('a crash after the append but before the outbox settled: the retry is a no-op', async () => {
      const { position } = await acceptedCase(w, 'A-1');
      const real = new AggregateDispatcher(w.aggregates, w.clock, null);
      let crashes = 1;
      const crashing: ProcessDispatcher = {
        async dispatch(command: ProcessCommand): Promise<DispatchOutcome> {
          const outcome = await real.dispatch(command);
          if (crashes-- > 0) throw new Error('simulated crash after the append');
          return outcome;
        },
      };
      const { pm, state } = w.manager(undefined, crashing);
      pm.start();
      await pm.caughtUp(position);
      w.clock.set('2019-10-17T01:00:00Z');
      const firstTick = await pm.tick();
      expect(firstTick.dispatched.map((d) => d.outcome)).toEqual(['pending', 'done', 'done']);
      const retry = await pm.tick();
      expect(retry.dispatched).toEqual([expect.objectContaining({ outcome: 'done', detail: 'already applied' })]);
      expect(await overdueOf(w, 'A-1')).toHaveLength(3);
      expect((await state.outbox()).map((o) => o.status)).toEqual(['done', 'done', 'done']);
    });

    it('two instances sharing one process.db, ticking at the same time, mark each review overdue once', async () => {
      const { position } = await acceptedCase(w, 'A-1');
      const a = w.manager();
      const b = w.manager();
      a.pm.start();
      b.pm.start();
      await a.pm.caughtUp(position);
      w.clock.set('2019-10-17T01:00:00Z');
      await Promise.all([a.pm.tick(), b.pm.tick(), a.pm.tick(), b.pm.tick()]);
      expect(await overdueOf(w, 'A-1')).toHaveLength(3);
    });

    it('two replicas with separate process state (as on EventStoreDB) race to the same commands: one wins, the other is a no-op', async () => {
      const { position } = await acceptedCase(w, 'A-1');
      const a = w.manager(join(w.dir, 'process-a.db'));
      const b = w.manager(join(w.dir, 'process-b.db'));
      a.pm.start();
      b.pm.start();
      await Promise.all([a.pm.caughtUp(position), b.pm.caughtUp(position)]);
      w.clock.set('2019-10-17T01:00:00Z');
      const [ra, rb] = await Promise.all([a.pm.tick(), b.pm.tick()]);
      expect(await overdueOf(w, 'A-1')).toHaveLength(3);
      expect([...ra.dispatched, ...rb.dispatched].every((d) => d.outcome === 'done')).toBe(true);
    });

    it('an opinion that arrives between the decision and the dispatch makes the overdue mark moot', async () => {
      const { position } = await acceptedCase(w, 'A-1');
      const { pm, state } = w.manager();
      pm.start();
      await pm.caughtUp(position);
      w.clock.set('2019-10-17T01:00:00Z');
      await state.enqueue(
        [
          {
            kind: 'MarkReviewOverdue',
            commandId: 'late-cmd',
            causationId: 'x',
            correlationId: 'corr-A-1',
            streamId: caseStreamId('A-1'),
            command: { type: 'MarkReviewOverdue', data: { unit: 'COM', round: 1, asOfDate: '2019-10-17' } },
          },
        ],
        w.clock.now().toISOString(),
      );
      await run(w, 'A-1', { type: 'RecordReviewOpinion', data: { unit: 'COM', verdict: 'approve', comment: 'late', author: 'com-1' } });
      const report = await pm.drain();
      expect(report).toEqual([expect.objectContaining({ commandId: 'late-cmd', outcome: 'moot' })]);
      expect(await overdueOf(w, 'A-1')).toEqual([]);
    });
  });

  describe('given a failure while applying an event (e.g. the process.db locked too long)', () => {
    it('the subscription stops visibly and restarts from the exact checkpoint: nothing lost, nothing applied twice', async () => {
      const { position } = await acceptedCase(w, 'A-1');
      const { pm, state } = w.manager(undefined, undefined, { restartDelayMs: 20 });
      const applyAll = state.applyAll.bind(state);
      let failures = 1;
      const applied: number[] = [];
      jest.spyOn(state, 'applyAll').mockImplementation(async (events, step, now) => {
        if (events.some((e) => e.type === 'CaseAccepted') && failures-- > 0) throw new Error('database is locked');
        const from = await state.checkpoint();
        const result = await applyAll(events, step, now);
        applied.push(...events.map((e) => e.globalPosition).filter((p) => p > from));
        return result;
      });
      pm.start();
      await pm.caughtUp(position);
      expect(applied).toEqual([position - 1, position]);
      expect(await state.getCase('A-1')).toMatchObject({ status: 'under-review', round: 1 });
    });
  });

  describe('given a backlog larger than one batch', () => {
    it('applies every event once, in order, and the checkpoint ends at the last one', async () => {
      let last = 0;
      for (let s = 0; s < 3; s++) {
        const result = await w.events.append(
          `application-bulk-${s}`,
          Array.from({ length: 200 }, (_, i) => ({
            eventId: deterministicId('bulk', String(s), String(i)),
            type: 'ApplicationSubmitted',
            data: { applicationId: `bulk-${s}-${i}`, leadUnit: 'FIN', cooperatingUnits: ['COM', 'CUS', 'PBC'], beneficiary: { uscc: USCC } },
            metadata: {
              correlationId: 'bulk',
              causationId: null,
              commandId: 'bulk',
              actor: { user: 'a', unit: 'COM', role: 'officer' },
              occurredAt: '2019-09-20T02:00:00.000Z',
              policyVersion: null,
            },
          })),
          { expectedVersion: 'no-stream' },
        );
        last = result.lastGlobalPosition;
      }
      const { pm, state } = w.manager();
      pm.start();
      await pm.caughtUp(last);
      expect(await state.checkpoint()).toBe(last);
      expect(await state.getCase('bulk-0-0')).toMatchObject({ status: 'submitted', awaiting: ['FIN'] });
      expect(await state.getCase('bulk-2-199')).toMatchObject({ status: 'submitted', awaiting: ['FIN'] });
    });
  });

  describe('given an award reservation its approval never settled (a crash after AwardReserved)', () => {
    async function reserve(reservationId: string): Promise<RecordedEvent> {
      await w.events.append(
        `beneficiary-${USCC}`,
        [
          {
            eventId: deterministicId('reserve', reservationId),
            type: 'AwardReserved',
            data: { uscc: USCC, reservationId, applicationId: 'A-9', program: 'P2a', year: 2019, amountCny: '1000.00' },
            metadata: {
              correlationId: 'corr-A-9',
              causationId: null,
              commandId: 'c',
              actor: { user: 'fin-head', unit: 'FIN', role: 'head' },
              occurredAt: w.clock.now().toISOString(),
              policyVersion: 'LZB-2019-4',
            },
          },
        ],
        { expectedVersion: 'any' },
      );
      return (await stream(w, `beneficiary-${USCC}`)).find((e) => e.data && (e.data as { reservationId: string }).reservationId === reservationId)!;
    }

    it("hands it to the workflow's resumeApproval once, after the grace period, even across instances", async () => {
      w.clock.set('2020-03-02T02:00:00Z');
      const reserved = await reserve('res-1');
      const a = w.manager();
      const b = w.manager();
      a.pm.start();
      b.pm.start();
      await a.pm.caughtUp(reserved.globalPosition);
      await a.pm.tick();
      expect(w.resumed).toEqual([]);

      w.clock.set('2020-03-02T02:01:00Z');
      await Promise.all([a.pm.tick(), b.pm.tick()]);
      await a.pm.tick();
      expect(w.resumed).toEqual([{ reservationId: 'res-1', commandId: deterministicId(reserved.eventId, 'ResumeApproval', 'res-1') }]);
    });

    it('a reservation released in time is never touched', async () => {
      w.clock.set('2020-03-02T02:00:00Z');
      await reserve('res-2');
      const released = await w.events.append(
        `beneficiary-${USCC}`,
        [
          {
            eventId: deterministicId('release', 'res-2'),
            type: 'ReservationReleased',
            data: { uscc: USCC, reservationId: 'res-2', applicationId: 'A-9', program: 'P2a', year: 2019, amountCny: '1000.00', reason: 'fund' },
            metadata: {
              correlationId: 'corr-A-9',
              causationId: null,
              commandId: 'c2',
              actor: { user: 'fin-head', unit: 'FIN', role: 'head' },
              occurredAt: w.clock.now().toISOString(),
              policyVersion: null,
            },
          },
        ],
        { expectedVersion: 'any' },
      );
      const { pm } = w.manager();
      pm.start();
      await pm.caughtUp(released.lastGlobalPosition);
      w.clock.set('2020-04-01T00:00:00Z');
      await pm.tick();
      expect(w.resumed).toEqual([]);
    });
  });

  it('forgets commands settled done or moot more than 30 days ago, at most once an hour; failed ones stay', async () => {
    const { pm, state } = w.manager();
    const command = (n: number): ProcessCommand => ({
      kind: 'ResumeApproval',
      commandId: `cmd-${n}`,
      causationId: `cause-${n}`,
      correlationId: `corr-${n}`,
      reservationId: `r-${n}`,
      uscc: USCC,
      applicationId: `app-${n}`,
    });
    await state.enqueue([1, 2, 3, 4, 5].map(command), '2019-08-01T00:00:00.000Z');
    await state.settle('cmd-1', 'done', null, '2019-08-01T00:00:00.000Z'); // 50 days before the tick
    await state.settle('cmd-2', 'moot', 'nothing to do', '2019-08-01T00:00:00.000Z');
    await state.settle('cmd-3', 'failed', 'gave up', '2019-08-01T00:00:00.000Z');
    await state.settle('cmd-4', 'done', null, '2019-09-01T00:00:00.000Z'); // 19 days before
    await state.settle('cmd-5', 'done', null, '2019-09-19T00:00:00.000Z'); // a day before
    const remaining = async (): Promise<string[]> => (await state.outbox()).map((e) => e.commandId);

    w.clock.set('2019-09-20T00:00:00Z');
    await pm.tick();
    expect(await remaining()).toEqual(['cmd-3', 'cmd-4', 'cmd-5']);

    // Within the hour nothing more is pruned, even what is old by now; later, what has turned 30 days old is.
    await state.settle('cmd-5', 'moot', 'settled again, as an old row', '2019-08-01T00:00:00.000Z');
    w.clock.set('2019-09-20T00:30:00Z');
    await pm.tick();
    expect(await remaining()).toEqual(['cmd-3', 'cmd-4', 'cmd-5']);
    w.clock.set('2019-10-20T01:00:00Z');
    await pm.tick();
    expect(await remaining()).toEqual(['cmd-3']);
  });
});

describe('the approval process with its tracker in a thread of its own (what the app runs on a SQLite log)', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });
  afterEach(async () => {
    await w.cleanup();
  });

  const threaded = (): Partial<ProcessManagerOptions> => ({ trackerThread: { eventsFile: w.events.file, processFile: join(w.dir, 'process.db') } });

  it("does not make a caller of caughtUp wait out the tracker's coalescing delay, in this thread or in the tracker thread", async () => {
    for (const threaded of [false, true]) {
      // given a tracker that, once busy, would wait 10 s between commits
      const processDb = join(w.dir, `process-${threaded ? 'thread' : 'inline'}.db`);
      const { pm } = w.manager(processDb, undefined, {
        coalesceMs: 10_000,
        ...(threaded ? { trackerThread: { eventsFile: w.events.file, processFile: processDb } } : {}),
      });
      pm.start();
      await acceptedCase(w, `coalesced-${threaded}-0`);
      // (its first commit comes at once, the tracker being idle: waited for without asking)
      const until = Date.now() + 10_000;
      while ((await pm.checkpoint()) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(await pm.checkpoint()).toBeGreaterThan(0);
      // when more events arrive right after that commit and someone waits for them
      let position = 0;
      for (let i = 1; i <= 3; i++) position = (await acceptedCase(w, `coalesced-${threaded}-${i}`)).position;
      // then the process state gets there promptly (caughtUp rejects after 2 s otherwise)
      await pm.caughtUp(position, 2000);
      expect(await pm.checkpoint()).toBeGreaterThanOrEqual(position);
    }
  });
  it('folds the case into process.db from its thread; the ticks here mark each overdue review once', async () => {
    const { position } = await acceptedCase(w, 'T-1');
    const { pm, state } = w.manager(undefined, undefined, threaded());
    pm.start();
    await pm.caughtUp(position);
    expect(await state.getCase('T-1')).toMatchObject({ status: 'under-review', awaiting: ['COM', 'CUS', 'PBC'], acceptedOn: '2019-09-27' });

    w.clock.set('2019-10-17T01:00:00Z');
    await pm.tick();
    await pm.tick();
    expect((await overdueOf(w, 'T-1')).map((e) => (e.data as { unit: string }).unit)).toEqual(['COM', 'CUS', 'PBC']);
  });

  it('restarts a tracker thread that died; it resumes from the checkpoint in process.db', async () => {
    const first = await acceptedCase(w, 'T-2');
    const { pm, state } = w.manager(undefined, undefined, threaded());
    pm.start();
    await pm.caughtUp(first.position);
    // The thread dies as an uncaught error would end it.
    await (pm as unknown as { tracker: { thread: { worker: { terminate(): Promise<number> } } } }).tracker.thread.worker.terminate();
    const later = await run(w, 'T-2', { type: 'RecordReviewOpinion', data: { unit: 'CUS', verdict: 'approve', comment: 'ok', author: 'cus-1' } });
    await pm.caughtUp(later);
    expect(await state.getCase('T-2')).toMatchObject({ awaiting: ['COM', 'PBC'] });
  });
});
