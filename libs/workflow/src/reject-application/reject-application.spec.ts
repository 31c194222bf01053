import { actors, WorkflowFixture } from '../testing/workflow-fixture';
import { RejectApplicationCommand } from './reject-application.command';
import { RejectApplicationHandler } from './reject-application.handler';

describe('RejectApplication', () => {
  let f: WorkflowFixture;
  let handler: RejectApplicationHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new RejectApplicationHandler(f.aggregates);
  });

  it('lets the lead unit reject a submitted case, with its reason', async () => {
    const id = await f.submitted();
    await handler.execute(new RejectApplicationCommand(id, 'not a cross-border e-commerce enterprise', f.ctx(actors.finHead)));
    expect((await f.stream(`application-${id}`))[1]).toMatchObject({ type: 'ApplicationRejected', data: { fromStatus: 'submitted', rejectedBy: 'fin-zhao' } });
  });

  it('refuses a cooperating unit and AUDIT', async () => {
    const id = await f.submitted();
    await expect(handler.execute(new RejectApplicationCommand(id, 'x', f.ctx(actors.comOfficer)))).rejects.toMatchObject({ httpStatus: 403 });
    await expect(handler.execute(new RejectApplicationCommand(id, 'x', f.ctx(actors.auditor)))).rejects.toMatchObject({ httpStatus: 403 });
  });

  it('refuses a case whose countersign round is still open', async () => {
    const id = await f.submitted();
    await f.underReview(id);
    await expect(handler.execute(new RejectApplicationCommand(id, 'x', f.ctx(actors.finOfficer)))).rejects.toMatchObject({
      code: 'invalid-transition',
      httpStatus: 409,
    });
  });
});
