import { actors, WorkflowFixture } from '../testing/workflow-fixture';
import { RecordReviewOpinionCommand } from './record-review-opinion.command';
import { RecordReviewOpinionHandler } from './record-review-opinion.handler';

const approve = { verdict: 'approve' as const, comment: 'ok' };

describe('RecordReviewOpinion', () => {
  let f: WorkflowFixture;
  let handler: RecordReviewOpinionHandler;
  let id: string;
  beforeEach(async () => {
    f = new WorkflowFixture();
    handler = new RecordReviewOpinionHandler(f.aggregates);
    id = await f.submitted();
    await f.underReview(id);
  });

  it("records the opinion as the caller's unit's, authored by the caller", async () => {
    await handler.execute(new RecordReviewOpinionCommand(id, approve, f.ctx(actors.cusOfficer)));
    expect((await f.stream(`application-${id}`))[2].data).toMatchObject({ unit: 'CUS', author: 'cus-wang', verdict: 'approve' });
  });

  it('makes the case ready for decision with the last approving opinion', async () => {
    for (const a of [actors.comOfficer, actors.cusOfficer, actors.pbcOfficer]) await handler.execute(new RecordReviewOpinionCommand(id, approve, f.ctx(a)));
    expect((await f.types(`application-${id}`)).slice(-1)).toEqual(['ApplicationReadyForDecision']);
  });

  it('sends the case back to the lead unit on a reject', async () => {
    await handler.execute(new RecordReviewOpinionCommand(id, { verdict: 'reject', comment: 'figures differ' }, f.ctx(actors.pbcOfficer)));
    expect((await f.types(`application-${id}`)).slice(-1)).toEqual(['ApplicationObjected']);
  });

  it('refuses the lead unit, a county, a head, and a second opinion of one unit', async () => {
    await expect(handler.execute(new RecordReviewOpinionCommand(id, approve, f.ctx(actors.finOfficer)))).rejects.toMatchObject({ httpStatus: 403 });
    await expect(handler.execute(new RecordReviewOpinionCommand(id, approve, f.ctx({ user: 'c', unit: 'CTY-341502', role: 'officer' })))).rejects.toMatchObject(
      { httpStatus: 403 },
    );
    await expect(handler.execute(new RecordReviewOpinionCommand(id, approve, f.ctx({ user: 'h', unit: 'COM', role: 'head' })))).rejects.toMatchObject({
      httpStatus: 403,
    });
    await handler.execute(new RecordReviewOpinionCommand(id, approve, f.ctx(actors.comOfficer)));
    await expect(handler.execute(new RecordReviewOpinionCommand(id, approve, f.ctx(actors.comOfficer)))).rejects.toMatchObject({ code: 'review-not-pending' });
  });
});
