import { actors, WorkflowFixture } from '../testing/workflow-fixture';
import { ReturnForCorrectionCommand } from './return-for-correction.command';
import { ReturnForCorrectionHandler } from './return-for-correction.handler';

describe('ReturnForCorrection', () => {
  let f: WorkflowFixture;
  let handler: ReturnForCorrectionHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new ReturnForCorrectionHandler(f.aggregates);
  });

  it('returns a submitted case to its applicant with the reason', async () => {
    const id = await f.submitted();
    await handler.execute(new ReturnForCorrectionCommand(id, 'invoices missing', f.ctx(actors.finOfficer)));
    expect((await f.stream(`application-${id}`))[1]).toMatchObject({
      type: 'ApplicationReturned',
      data: { reason: 'invoices missing', returnedBy: 'fin-chen' },
    });
  });

  it('refuses a cooperating unit and the applicant', async () => {
    const id = await f.submitted();
    await expect(handler.execute(new ReturnForCorrectionCommand(id, 'x', f.ctx(actors.comOfficer)))).rejects.toMatchObject({ httpStatus: 403 });
    await expect(handler.execute(new ReturnForCorrectionCommand(id, 'x', f.ctx(actors.applicant('x'))))).rejects.toMatchObject({ httpStatus: 403 });
  });

  it('refuses a case under review (the round must finish first)', async () => {
    const id = await f.submitted();
    await f.underReview(id);
    await expect(handler.execute(new ReturnForCorrectionCommand(id, 'x', f.ctx(actors.finOfficer)))).rejects.toMatchObject({ code: 'invalid-transition' });
  });
});
