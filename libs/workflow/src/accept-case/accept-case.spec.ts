import { join } from 'node:path';
import { DeadlineService, loadCalendar } from '../calendar';
import { actors, WorkflowFixture } from '../testing/workflow-fixture';
import { AcceptCaseCommand } from './accept-case.command';
import { AcceptCaseHandler } from './accept-case.handler';

describe('AcceptCase', () => {
  let f: WorkflowFixture;
  let handler: AcceptCaseHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new AcceptCaseHandler(f.aggregates, new DeadlineService(loadCalendar({ dataDir: join(__dirname, '__no_such_data_dir__') }).calendar, f.policy));
  });

  it('opens the countersign round for every cooperating unit, due ten working days later', async () => {
    const id = await f.submitted();
    // Accepted Monday 2020-03-02 (Asia/Shanghai): ten working days later is Monday 2020-03-16.
    const answer = await handler.execute(new AcceptCaseCommand(id, f.ctx(actors.finOfficer)));
    expect(answer).toMatchObject({ applicationId: id, version: 1, dueDate: '2020-03-16', notes: [] });
    const accepted = (await f.stream(`application-${id}`))[1];
    expect(accepted.data).toMatchObject({ round: 1, reviews: [{ unit: 'COM', dueDate: '2020-03-16' }, { unit: 'CUS' }, { unit: 'PBC' }] });
  });

  it('skips public holidays: accepted before the 2020 Spring Festival (extended to 2 Feb), due 2020-02-11', async () => {
    const id = await f.submitted();
    f.now = new Date('2020-01-20T02:00:00.000Z');
    const answer = await handler.execute(new AcceptCaseCommand(id, f.ctx(actors.finOfficer)));
    // 21, 22, 23 Jan; holidays 24 Jan - 2 Feb (国办发明电〔2020〕1号); 3-7 Feb; 10, 11 Feb.
    expect(answer.dueDate).toBe('2020-02-11');
  });

  it('counts Monday–Friday in a year without a calendar and says so on the acceptance itself', async () => {
    const id = await f.submitted();
    // The built-in calendar ends with 2026; ten working days from 2026-12-28 reach into 2027.
    f.now = new Date('2026-12-28T02:00:00.000Z');
    const answer = await handler.execute(new AcceptCaseCommand(id, f.ctx(actors.finOfficer)));
    expect(answer.notes).toEqual(['calendar-missing:2027']);
    const accepted = (await f.stream(`application-${id}`))[1];
    expect(accepted.data).toMatchObject({ calendarNotes: ['calendar-missing:2027'] });
  });

  it("refuses a unit that does not lead the program, and the lead unit's head", async () => {
    const id = await f.submitted();
    await expect(handler.execute(new AcceptCaseCommand(id, f.ctx(actors.comOfficer)))).rejects.toMatchObject({ httpStatus: 403 });
    await expect(handler.execute(new AcceptCaseCommand(id, f.ctx(actors.finHead)))).rejects.toMatchObject({ httpStatus: 403 });
  });

  it('answers 404 for a case that does not exist, and 409 for a stale version', async () => {
    await expect(handler.execute(new AcceptCaseCommand('nope', f.ctx(actors.finOfficer)))).rejects.toMatchObject({ httpStatus: 404 });
    const id = await f.submitted();
    await expect(handler.execute(new AcceptCaseCommand(id, f.ctx(actors.finOfficer), 7))).rejects.toMatchObject({ code: 'version-conflict', actualVersion: 0 });
  });
});
