import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { ApprovalProcess } from './approval.process';
import { ApproveAwardCommand } from './approve-award.command';
import { ApproveAwardHandler } from './approve-award.handler';
import { CustomsFiguresReader } from './customs-figures.reader';
import { SagaExecutor } from '../saga/saga-executor';

const EXPORTER = uscc(11);
const P1 = { otherMunicipalTradeAward: false };

describe('ApproveAward (the approval process)', () => {
  let f: WorkflowFixture;
  let approvals: ApprovalProcess;
  let handler: ApproveAwardHandler;

  async function readyP1(u = EXPORTER): Promise<string> {
    const id = await f.submitted(u, 'P1', P1);
    await f.underReview(id, true);
    return id;
  }

  beforeEach(async () => {
    f = new WorkflowFixture();
    approvals = new ApprovalProcess(f.aggregates, new CustomsFiguresReader(f.events), new SagaExecutor(f.aggregates), f.calendar, { now: () => f.now });
    handler = new ApproveAwardHandler(approvals);
    const rows = [EXPORTER, uscc(12), uscc(13)].map((u) => ({
      year: 2019,
      uscc: u,
      name: 'x',
      export9610Usd: '50000.00',
      cbecImportUsd: '0.00',
      cbecExportUsd: '0.00',
      totalExportUsd: '50000.00',
      platformLocalOnlineTradeUsd: null,
    }));
    await f.customsImported(rows);
    await f.fundAllocated('80000.00');
  });

  it('reserves on the ledger, commits on the fund, approves the case and confirms, from the imported figures (E1)', async () => {
    const id = await readyP1();
    const answer = await handler.execute(new ApproveAwardCommand(id, {}, f.ctx(actors.finHead)));
    expect(answer).toMatchObject({ amountCny: '50000.00', computedCny: '50000.00', approvableCny: '50000.00' });
    expect(await f.types(`beneficiary-${EXPORTER}`)).toEqual(['AwardReserved', 'ReservationConfirmed']);
    expect((await f.types('fund-2019')).slice(-1)).toEqual(['FundsCommitted']);
    const approved = (await f.stream(`application-${id}`)).find((e) => e.type === 'AwardApproved')!;
    const customsEvent = (await f.stream('customs-2019'))[0];
    expect(approved.data).toMatchObject({ policyVersion: 'LZB-2019-4', customsEventIds: [customsEvent.eventId], approvedBy: 'fin-zhao' });
  });

  it('answers a repeated approval command from what the first one stored', async () => {
    const id = await readyP1();
    const ctx = f.ctx(actors.finHead, 'approval-1');
    const first = await handler.execute(new ApproveAwardCommand(id, {}, ctx));
    const head = await f.events.headPosition();
    expect(await handler.execute(new ApproveAwardCommand(id, {}, ctx))).toEqual({ ...first, position: expect.any(Number) });
    expect(await f.events.headPosition()).toBe(head);
  });

  it('releases the reservation, recorded as an event, when the fund would be over-committed (E14)', async () => {
    await handler.execute(new ApproveAwardCommand(await readyP1(uscc(12)), {}, f.ctx(actors.finHead)));
    const id = await readyP1(uscc(13));
    await expect(handler.execute(new ApproveAwardCommand(id, {}, f.ctx(actors.finHead)))).rejects.toMatchObject({ code: 'fund-over-committed' });
    expect(await f.types(`beneficiary-${uscc(13)}`)).toEqual(['AwardReserved', 'ReservationReleased']);
    expect((await f.stream(`application-${id}`)).some((e) => e.type === 'AwardApproved')).toBe(false);
  });

  it('continues the same approval after a crash between the reservation and the fund', async () => {
    const id = await readyP1();
    f.events.beforeAppend = (streamId) => {
      if (streamId === 'fund-2019') {
        f.events.beforeAppend = undefined;
        throw new Error('crash');
      }
    };
    const ctx = f.ctx(actors.finHead, 'approval-2');
    await expect(handler.execute(new ApproveAwardCommand(id, {}, ctx))).rejects.toThrow('crash');
    // The client retries with the same Idempotency-Key (same command id): no second reservation.
    await handler.execute(new ApproveAwardCommand(id, {}, ctx));
    expect(await f.types(`beneficiary-${EXPORTER}`)).toEqual(['AwardReserved', 'ReservationConfirmed']);
  });

  it('lets the process resume a dangling reservation: completes it, then has nothing left to do', async () => {
    const id = await readyP1();
    f.events.beforeAppend = (streamId) => {
      if (streamId === `application-${id}`) {
        f.events.beforeAppend = undefined;
        throw new Error('crash');
      }
    };
    await expect(handler.execute(new ApproveAwardCommand(id, {}, f.ctx(actors.finHead)))).rejects.toThrow('crash');
    const reservationId = ((await f.stream(`beneficiary-${EXPORTER}`))[0].data as { reservationId: string }).reservationId;
    await expect(approvals.resumeApproval({ uscc: EXPORTER, reservationId })).resolves.toMatchObject({ outcome: 'completed' });
    await expect(approvals.resumeApproval({ uscc: EXPORTER, reservationId })).resolves.toEqual({ outcome: 'already-settled', status: 'confirmed' });
    expect((await f.types('fund-2019')).filter((t) => t === 'FundsCommitted')).toHaveLength(1);
  });

  it("is the lead unit head's, on a case ready for decision", async () => {
    const id = await readyP1();
    await expect(handler.execute(new ApproveAwardCommand(id, {}, f.ctx(actors.finOfficer)))).rejects.toMatchObject({ httpStatus: 403 });
    const early = await f.submitted(uscc(12), 'P1', P1);
    await expect(handler.execute(new ApproveAwardCommand(early, {}, f.ctx(actors.finHead)))).rejects.toMatchObject({ code: 'invalid-transition' });
  });
});
