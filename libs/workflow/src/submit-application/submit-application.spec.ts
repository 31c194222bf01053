import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { SubmitApplicationCommand } from './submit-application.command';
import { SubmitApplicationHandler } from './submit-application.handler';
import { SubmitApplicationRequest } from './submit-application.request';

const ENTERPRISE = uscc(1);
const p2a = (u = ENTERPRISE): SubmitApplicationRequest =>
  ({
    program: 'platform-fee-subsidy',
    year: 2019,
    beneficiary: { uscc: u, kind: 'enterprise', manufacturing: false },
    claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: ['120000.00'] },
  }) as SubmitApplicationRequest;

describe('SubmitApplication', () => {
  let f: WorkflowFixture;
  let handler: SubmitApplicationHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new SubmitApplicationHandler(f.aggregates, f.policy);
  });

  it("opens a case routed to the program's lead unit, the long program name accepted", async () => {
    const answer = await handler.execute(new SubmitApplicationCommand(p2a(), f.ctx(actors.applicant(ENTERPRISE))));
    const [submitted] = await f.stream(`application-${answer.applicationId}`);
    expect(answer).toMatchObject({ version: 0, position: 1 });
    expect(submitted.data).toMatchObject({
      program: 'P2a',
      leadUnit: 'FIN',
      cooperatingUnits: ['COM', 'CUS', 'PBC'],
      submittedBy: 'applicant-' + ENTERPRISE.slice(-4),
    });
  });

  it("lets a COM officer submit on an applicant's behalf", async () => {
    await expect(handler.execute(new SubmitApplicationCommand(p2a(), f.ctx(actors.comOfficer)))).resolves.toMatchObject({ version: 0 });
  });

  it('refuses an applicant submitting for another USCC', async () => {
    await expect(handler.execute(new SubmitApplicationCommand(p2a(uscc(2)), f.ctx(actors.applicant(ENTERPRISE))))).rejects.toMatchObject({ httpStatus: 403 });
    expect(await f.events.headPosition()).toBe(0);
  });

  it('refuses an application missing a claim its program needs, naming it', async () => {
    const incomplete = { ...p2a(), claims: { promotesOnThirdPartyPlatform: true } } as SubmitApplicationRequest;
    await expect(handler.execute(new SubmitApplicationCommand(incomplete, f.ctx(actors.applicant(ENTERPRISE))))).rejects.toMatchObject({
      httpStatus: 400,
      errors: [{ field: 'claims.platformFeesCny' }],
    });
  });

  it('refuses an application for a year that has not ended yet, storing nothing (docs/policy.md: applications for Y are made after Y ends)', async () => {
    f.now = new Date('2019-12-31T15:59:59.999Z'); // 2019-12-31 23:59:59.999 in Beijing
    await expect(handler.execute(new SubmitApplicationCommand(p2a(), f.ctx(actors.applicant(ENTERPRISE))))).rejects.toMatchObject({
      httpStatus: 422,
      code: 'award-year-not-over',
      errors: [{ field: 'year' }],
    });
    f.now = new Date('2020-03-02T02:00:00.000Z');
    await expect(
      handler.execute(new SubmitApplicationCommand({ ...p2a(), year: 2021 } as SubmitApplicationRequest, f.ctx(actors.comOfficer))),
    ).rejects.toMatchObject({
      httpStatus: 422,
      code: 'award-year-not-over',
    });
    expect(await f.events.headPosition()).toBe(0);
  });

  it('accepts an application for a year from the first moment after it ends in Beijing', async () => {
    f.now = new Date('2019-12-31T16:00:00.000Z'); // 2020-01-01 00:00 in Beijing
    await expect(handler.execute(new SubmitApplicationCommand(p2a(), f.ctx(actors.applicant(ENTERPRISE))))).resolves.toMatchObject({ version: 0 });
  });

  it('opens one case for one command id, however often it is repeated', async () => {
    const ctx = f.ctx(actors.applicant(ENTERPRISE), 'same-key');
    const first = await handler.execute(new SubmitApplicationCommand(p2a(), ctx));
    const again = await handler.execute(new SubmitApplicationCommand(p2a(), ctx));
    expect(again).toEqual(first);
    expect(await f.events.headPosition()).toBe(1);
  });
});
