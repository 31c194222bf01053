import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { RecordExternalAwardCommand } from './record-external-award.command';
import { RecordExternalAwardHandler } from './record-external-award.handler';

describe('RecordExternalAward', () => {
  let f: WorkflowFixture;
  let handler: RecordExternalAwardHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new RecordExternalAwardHandler(f.aggregates);
  });

  it("records a municipal foreign-trade award on the beneficiary's ledger, once per reference", async () => {
    const request = { year: 2019, ref: 'LSW-2020-017', amountCny: '30000.00' };
    await handler.execute(new RecordExternalAwardCommand(uscc(7), request, f.ctx(actors.comOfficer)));
    await handler.execute(new RecordExternalAwardCommand(uscc(7), request, f.ctx(actors.comOfficer)));
    expect(await f.stream(`beneficiary-${uscc(7)}`)).toEqual([
      expect.objectContaining({
        type: 'ExternalAwardRecorded',
        data: { uscc: uscc(7), year: 2019, ref: 'LSW-2020-017', amountCny: '30000.00', recordedBy: 'com-liu' },
      }),
    ]);
  });

  it("is COM's to record", async () => {
    await expect(handler.execute(new RecordExternalAwardCommand(uscc(7), { year: 2019, ref: 'x' }, f.ctx(actors.finHead)))).rejects.toMatchObject({
      httpStatus: 403,
    });
  });
});
