import { caseDecider, caseStreamId } from '@cbec/domain';
import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { ResubmitApplicationCommand } from './resubmit-application.command';
import { ResubmitApplicationHandler } from './resubmit-application.handler';
import { ResubmitApplicationRequest } from './resubmit-application.request';

const corrected = {
  claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: [{ amountCny: '120000.00', invoiceRef: 'INV-1' }] },
} as ResubmitApplicationRequest;

describe('ResubmitApplication', () => {
  let f: WorkflowFixture;
  let handler: ResubmitApplicationHandler;
  let id: string;
  beforeEach(async () => {
    f = new WorkflowFixture();
    handler = new ResubmitApplicationHandler(f.aggregates);
    id = await f.submitted(uscc(1));
    await f.aggregates.execute(
      caseStreamId(id),
      caseDecider,
      { type: 'ReturnForCorrection', data: { reason: 'x', returnedBy: 'y' } },
      f.ctx(actors.finOfficer),
    );
  });

  it('lets the applicant resubmit its returned case with corrected claims', async () => {
    const answer = await handler.execute(new ResubmitApplicationCommand(id, corrected, f.ctx(actors.applicant(uscc(1)))));
    expect(answer.version).toBe(2);
    expect((await f.stream(`application-${id}`))[2].data).toMatchObject({ claims: corrected.claims });
  });

  it('refuses another applicant', async () => {
    await expect(handler.execute(new ResubmitApplicationCommand(id, corrected, f.ctx(actors.applicant(uscc(2)))))).rejects.toMatchObject({ httpStatus: 403 });
  });

  it('refuses corrected claims that are still incomplete, naming the field', async () => {
    const incomplete = { claims: { promotesOnThirdPartyPlatform: true } } as ResubmitApplicationRequest;
    await expect(handler.execute(new ResubmitApplicationCommand(id, incomplete, f.ctx(actors.applicant(uscc(1)))))).rejects.toMatchObject({
      httpStatus: 400,
      errors: [{ field: 'claims.platformFeesCny' }],
    });
  });
});
