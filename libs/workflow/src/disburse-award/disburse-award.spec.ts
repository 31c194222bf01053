import { ApprovalProcess } from '../approve-award/approval.process';
import { CustomsFiguresReader } from '../approve-award/customs-figures.reader';
import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { DisburseAwardCommand } from './disburse-award.command';
import { DisburseAwardHandler } from './disburse-award.handler';
import { SagaExecutor } from '../saga/saga-executor';

describe('DisburseAward', () => {
  let f: WorkflowFixture;
  let handler: DisburseAwardHandler;
  let id: string;
  beforeEach(async () => {
    f = new WorkflowFixture();
    handler = new DisburseAwardHandler(f.aggregates);
    const row = {
      year: 2019,
      uscc: uscc(21),
      name: 'x',
      export9610Usd: '50000.00',
      cbecImportUsd: '0.00',
      cbecExportUsd: '0.00',
      totalExportUsd: '1.00',
      platformLocalOnlineTradeUsd: null,
    };
    await f.customsImported([row], 'b');
    await f.fundAllocated('100000.00');
    id = await f.submitted(uscc(21), 'P1', { otherMunicipalTradeAward: false });
    await f.underReview(id, true);
    await new ApprovalProcess(f.aggregates, new CustomsFiguresReader(f.events), new SagaExecutor(f.aggregates), f.calendar, { now: () => f.now }).approve(
      id,
      {},
      f.ctx(actors.finHead),
    );
    // Approved Monday 2020-03-02: published 5 working days, until Monday 2020-03-09.
    f.now = new Date('2020-03-10T02:00:00.000Z');
  });

  it('refuses payment during the publicity (公示), the fund untouched; pays the day after its last day', async () => {
    f.now = new Date('2020-03-09T09:00:00.000Z');
    await expect(handler.execute(new DisburseAwardCommand(id, 'PAY-1', f.ctx(actors.finOfficer)))).rejects.toMatchObject({
      code: 'publicity-not-over',
      until: '2020-03-09',
    });
    expect(await f.types('fund-2019')).not.toContain('FundPaymentRecorded');
    f.now = new Date('2020-03-10T01:00:00.000Z');
    await expect(handler.execute(new DisburseAwardCommand(id, 'PAY-1', f.ctx(actors.finOfficer)))).resolves.toMatchObject({ amountCny: '50000.00' });
  });

  it('pays the approved amount from the fund commitment, then marks the case disbursed', async () => {
    const answer = await handler.execute(new DisburseAwardCommand(id, 'PAY-1', f.ctx(actors.finOfficer)));
    expect(answer).toMatchObject({ amountCny: '50000.00' });
    expect((await f.types('fund-2019')).slice(-1)).toEqual(['FundPaymentRecorded']);
    expect((await f.types(`application-${id}`)).slice(-1)).toEqual(['AwardDisbursed']);
  });

  it('pays once when the command is repeated, even after a crash between fund and case', async () => {
    f.events.beforeAppend = (streamId) => {
      if (streamId === `application-${id}`) {
        f.events.beforeAppend = undefined;
        throw new Error('crash');
      }
    };
    const ctx = f.ctx(actors.finOfficer, 'pay-key');
    await expect(handler.execute(new DisburseAwardCommand(id, 'PAY-1', ctx))).rejects.toThrow('crash');
    await handler.execute(new DisburseAwardCommand(id, 'PAY-1', ctx));
    await handler.execute(new DisburseAwardCommand(id, 'PAY-1', ctx));
    expect((await f.types('fund-2019')).filter((t) => t === 'FundPaymentRecorded')).toHaveLength(1);
    expect((await f.types(`application-${id}`)).filter((t) => t === 'AwardDisbursed')).toHaveLength(1);
  });

  it("is a FIN officer's, on an approved case", async () => {
    await expect(handler.execute(new DisburseAwardCommand(id, 'PAY-1', f.ctx(actors.finHead)))).rejects.toMatchObject({ httpStatus: 403 });
    const other = await f.submitted(uscc(22), 'P1', { otherMunicipalTradeAward: false });
    await expect(handler.execute(new DisburseAwardCommand(other, 'PAY-2', f.ctx(actors.finOfficer)))).rejects.toMatchObject({ code: 'invalid-transition' });
  });
});
