import type { CaseProcess, ProcessEvent, ProcessState, ReservationWatch } from './process.state';
import type { ProcessStateStore, ProcessStep } from './process-state.store';
import type { ResumeApprovalCommand } from './react';

/**
 * What every ProcessStateStore adapter does; each adapter's spec calls this with a way to open one (two
 * opened in one test share the same store, as two servers on one database or two processes on one file do).
 * The step is a stand-in for the process's fold: the contract is about storage, not the rules.
 */
export function processStateStoreContract(name: string, open: () => Promise<ProcessStateStore> | ProcessStateStore): void {
  describe(`ProcessStateStore contract: ${name}`, () => {
    let stores: ProcessStateStore[] = [];
    const opened = async (): Promise<ProcessStateStore> => {
      const store = await open();
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(stores.map((store) => store.close()));
      stores = [];
    });

    let n = 0;
    /** A fresh case id per test: the store outlives the tests of one file. */
    const id = (label: string): string => `${label}-${++n}-${Math.random().toString(36).slice(2, 8)}`;
    const NOW = '2019-10-01T00:00:00.000Z';

    it('folds a batch into the rows, the outbox and the checkpoint, and skips what the checkpoint already holds', async () => {
      const store = await opened();
      const from = await store.checkpoint();
      const [a, b] = [id('A'), id('B')];
      const events = [submitted(a, from + 1), reviewDue(a, from + 2, '2019-10-10'), submitted(b, from + 3)];
      expect(await store.applyAll(events, step, NOW)).toEqual({ applied: 3, commands: 1 });
      expect(await store.checkpoint()).toBe(from + 3);
      expect(await store.getCase(a)).toMatchObject({ status: 'under-review', reviews: [{ unit: 'COM', dueDate: '2019-10-10', overdue: false }] });
      expect(await store.getCase(b)).toMatchObject({ status: 'submitted' });
      expect((await store.outbox()).filter((e) => e.commandId === `resume-${a}`)).toEqual([
        { commandId: `resume-${a}`, command: resume(a), status: 'pending', attempts: 0, lastError: null },
      ]);
      // The same events again (a subscription behind, or another instance): nothing applied, nothing queued twice.
      expect(await store.applyAll(events, step, NOW)).toEqual({ applied: 0, commands: 0 });
      expect((await store.outbox()).filter((e) => e.commandId === `resume-${a}`)).toHaveLength(1);
      expect(await store.getCase(id('never'))).toBeNull();
    });

    it('writes nothing of a batch whose step throws: rows, outbox and checkpoint stay as they were', async () => {
      const store = await opened();
      const from = await store.checkpoint();
      const a = id('A');
      const failing: ProcessStep = (state, event) => {
        if (event.type === 'Boom') throw new Error('the fold failed');
        return step(state, event);
      };
      const boom: ProcessEvent & { globalPosition: number } = { ...submitted(a, from + 2), type: 'Boom' };
      await expect(store.applyAll([reviewDue(a, from + 1, '2019-10-10'), boom], failing, NOW)).rejects.toThrow('the fold failed');
      expect(await store.checkpoint()).toBe(from);
      expect(await store.getCase(a)).toBeNull();
      expect((await store.outbox()).some((e) => e.commandId === `resume-${a}`)).toBe(false);
    });

    it('applies each event once when two instances apply the same batch at the same time', async () => {
      const [first, second] = [await opened(), await opened()];
      const from = await first.checkpoint();
      const events = Array.from({ length: 20 }, (_, i) => submitted(id('C'), from + 1 + i));
      const results = await Promise.all([first.applyAll(events, step, NOW), second.applyAll(events, step, NOW)]);
      expect(results[0].applied + results[1].applied).toBe(20);
      expect(await second.checkpoint()).toBe(from + 20);
    });

    it('lists as due the cases with a review due before today and the reservations made before the grace instant', async () => {
      const store = await opened();
      const from = await store.checkpoint();
      const [due, later, r1, r2] = [id('due'), id('later'), id('r'), id('r')];
      await store.applyAll(
        [
          reviewDue(due, from + 1, '2019-10-09'),
          reviewDue(later, from + 2, '2019-10-20'),
          reserved(r1, from + 3, '2019-10-01T00:00:00.000Z'),
          reserved(r2, from + 4, '2019-10-01T00:05:00.000Z'),
        ],
        step,
        NOW,
      );
      const candidates = await store.dueCandidates('2019-10-10', '2019-10-01T00:01:00.000Z');
      expect(Object.keys(candidates.cases)).toContain(due);
      expect(Object.keys(candidates.cases)).not.toContain(later);
      expect(candidates.reservations[r1]).toMatchObject({ reservationId: r1, uscc: 'U' });
      expect(candidates.reservations[r2]).toBeUndefined();
      // A settled reservation leaves the state.
      await store.applyAll([{ ...reserved(r1, from + 5, NOW), type: 'ReservationConfirmed' }], step, NOW);
      expect((await store.dueCandidates('2019-10-10', '2019-12-01T00:00:00.000Z')).reservations[r1]).toBeUndefined();
    });

    it('queues a command once by its id, hands it to one instance at a time, and settles, retries, prunes and forgets it', async () => {
      const [mine, theirs] = [await opened(), await opened()];
      const [a, b, c] = [id('A'), id('B'), id('C')];
      expect(await mine.enqueue([resume(a), resume(b)], NOW)).toEqual([`resume-${a}`, `resume-${b}`]);
      expect(await theirs.enqueue([resume(b), resume(c), resume(c)], NOW)).toEqual([`resume-${c}`]);
      const pending = (await mine.pending(1000)).map((e) => e.commandId);
      expect(pending.slice(pending.indexOf(`resume-${a}`))).toEqual([`resume-${a}`, `resume-${b}`, `resume-${c}`]);

      expect(await mine.claim(`resume-${a}`, 60_000)).toBe(true);
      expect(await theirs.claim(`resume-${a}`, 60_000)).toBe(false);
      expect(await mine.claim(`resume-${a}`, 60_000)).toBe(true);
      // A claim that ran out (its holder crashed) is taken over.
      expect(await mine.claim(`resume-${b}`, -1)).toBe(true);
      expect(await theirs.claim(`resume-${b}`, 60_000)).toBe(true);

      await mine.settle(`resume-${a}`, 'done', null, '2019-08-01T00:00:00.000Z');
      expect(await theirs.claim(`resume-${a}`, 60_000)).toBe(false);
      expect(await theirs.retryLater(`resume-${b}`, 'conflict', NOW, 2)).toBe('pending');
      expect(await theirs.retryLater(`resume-${b}`, 'conflict again', NOW, 2)).toBe('failed');
      const outbox = new Map((await mine.outbox()).map((e) => [e.commandId, e]));
      expect(outbox.get(`resume-${a}`)).toMatchObject({ status: 'done', attempts: 1 });
      expect(outbox.get(`resume-${b}`)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'conflict again' });
      expect((await mine.pending(1000)).map((e) => e.commandId)).not.toContain(`resume-${b}`);

      expect(await mine.pruneSettled('2019-09-01T00:00:00.000Z')).toBeGreaterThanOrEqual(1);
      await mine.forget(`resume-${c}`);
      const left = (await theirs.outbox()).map((e) => e.commandId);
      expect(left).toContain(`resume-${b}`); // failed ones stay
      expect(left).not.toContain(`resume-${a}`);
      expect(left).not.toContain(`resume-${c}`);
      // Forgotten, a command may be decided afresh.
      expect(await mine.enqueue([resume(c)], NOW)).toEqual([`resume-${c}`]);
    });
  });
}

function submitted(applicationId: string, globalPosition: number): ProcessEvent & { globalPosition: number } {
  return {
    eventId: `e-${globalPosition}-${applicationId}`,
    type: 'ApplicationSubmitted',
    streamId: `application-${applicationId}`,
    data: { applicationId },
    metadata: meta(),
    globalPosition,
  };
}

function reviewDue(applicationId: string, globalPosition: number, dueDate: string): ProcessEvent & { globalPosition: number } {
  return { ...submitted(applicationId, globalPosition), type: 'CaseAccepted', data: { applicationId, dueDate } };
}

function reserved(reservationId: string, globalPosition: number, occurredAt: string): ProcessEvent & { globalPosition: number } {
  return {
    eventId: `e-${globalPosition}-${reservationId}`,
    type: 'AwardReserved',
    streamId: `beneficiary-U`,
    data: { reservationId },
    metadata: { ...meta(), occurredAt },
    globalPosition,
  };
}

function meta(): ProcessEvent['metadata'] {
  return { occurredAt: '2019-10-01T00:00:00.000Z', correlationId: 'corr' };
}

function resume(applicationId: string): ResumeApprovalCommand {
  return {
    kind: 'ResumeApproval',
    commandId: `resume-${applicationId}`,
    causationId: 'c',
    correlationId: 'corr',
    reservationId: `r-${applicationId}`,
    uscc: 'U',
    applicationId,
  };
}

/** The stand-in fold: submitted → a case; accepted → under review with one due date and a resume command; reserved/confirmed. */
const step: ProcessStep = (state: ProcessState, event: ProcessEvent) => {
  const data = event.data as { applicationId?: string; reservationId?: string; dueDate?: string };
  switch (event.type) {
    case 'ApplicationSubmitted':
      return { state: { ...state, cases: { ...state.cases, [data.applicationId!]: caseOf(data.applicationId!, 'submitted', []) } }, commands: [] };
    case 'CaseAccepted': {
      const c = caseOf(data.applicationId!, 'under-review', [{ unit: 'COM', dueDate: data.dueDate!, overdue: false }]);
      return { state: { ...state, cases: { ...state.cases, [c.applicationId]: c } }, commands: [resume(c.applicationId)] };
    }
    case 'AwardReserved': {
      const r: ReservationWatch = {
        reservationId: data.reservationId!,
        uscc: 'U',
        applicationId: 'x',
        reservedAt: event.metadata.occurredAt,
        reservedBy: 'fin',
        correlationId: 'corr',
        approved: false,
      };
      return { state: { ...state, reservations: { ...state.reservations, [r.reservationId]: r } }, commands: [] };
    }
    case 'ReservationConfirmed': {
      const reservations = { ...state.reservations };
      delete reservations[data.reservationId!];
      return { state: { ...state, reservations }, commands: [] };
    }
    default:
      return { state, commands: [] };
  }
};

function caseOf(applicationId: string, status: CaseProcess['status'], reviews: CaseProcess['reviews']): CaseProcess {
  return {
    applicationId,
    status,
    leadUnit: 'FIN',
    cooperatingUnits: ['COM'],
    beneficiaryUscc: 'U',
    awaiting: ['FIN'],
    round: 1,
    roundOpenedBy: null,
    correlationId: 'corr',
    acceptedOn: null,
    reviews,
    calendarNotes: [],
  };
}
