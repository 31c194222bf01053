import { ProcessManager } from '@cbec/workflow';
import { E2eApp, startApp } from './support/e2e-app';

/**
 * Deadlines over HTTP: the whole app in-process, a real SQLite store in a temp dir, the injected clock
 * moved by the test, the process manager ticked by hand (its timer is off in e2e).
 */

const USCC = '91341500MA2010017C';

describe('an overdue review (working days, across National Day 2020)', () => {
  let e: E2eApp;
  let pm: ProcessManager;

  beforeEach(async () => {
    e = await startApp({ now: '2020-09-18T02:00:00.000Z' });
    pm = e.app.get(ProcessManager);
  });
  afterEach(async () => {
    await e.close();
  });

  async function submit(): Promise<string> {
    const res = await e
      .http()
      .post('/api/v1/applications')
      // A COM clerk submits; another COM officer countersigns (four eyes).
      .set(e.auth('COM', 'officer', undefined, 'com-clerk'))
      // The clock stands in 2020 (for National Day 2020): the award year applied for is 2019, already over.
      .send({ program: 'P1', year: 2019, beneficiary: { uscc: USCC, kind: 'enterprise' }, claims: { otherMunicipalTradeAward: false } });
    expect({ status: res.status, body: res.status === 201 ? 'created' : res.body }).toEqual({ status: 201, body: 'created' });
    return res.body.applicationId as string;
  }

  async function accept(id: string): Promise<{ dueDate: string; notes: string[]; position: number }> {
    const res = await e.http().post(`/api/v1/applications/${id}/acceptance`).set(e.auth('FIN', 'officer')).send({}).expect(201);
    return res.body;
  }

  const overdueEvents = async (id: string) => (await e.events(`application-${id}`)).filter((ev) => ev.type === 'ReviewOverdue');

  it("given a case accepted Fri 2020-09-25, when the clock passes its due date Thu 2020-10-15, then ReviewOverdue is on the case and in COM's inbox, once", async () => {
    const id = await submit();
    e.clock.set('2020-09-25T03:00:00.000Z');
    const accepted = await accept(id);
    // 10 working days: Sun 9/27 (调休) and 9/28–9/30, the holiday week 10/1–10/8 off, Fri 10/9, Sat 10/10 (调休), 10/12–10/15.
    expect(accepted).toMatchObject({ dueDate: '2020-10-15', notes: [] });
    await pm.caughtUp(accepted.position);

    e.clock.set('2020-10-09T02:00:00.000Z');
    const opinion = await e
      .http()
      .post(`/api/v1/applications/${id}/opinions`)
      .set(e.auth('CUS', 'officer'))
      .send({ verdict: 'approve', comment: 'figures match' })
      .expect(201);
    await pm.caughtUp(opinion.body.position);

    // 23:59 in Lu'an on the due date: still in time.
    e.clock.set('2020-10-15T15:59:00.000Z');
    await pm.tick();
    expect(await overdueEvents(id)).toEqual([]);

    e.clock.set('2020-10-16T00:30:00.000Z');
    await pm.tick();
    const overdue = await overdueEvents(id);
    expect(overdue.map((ev) => ev.data)).toEqual([
      { applicationId: id, round: 1, unit: 'COM', dueDate: '2020-10-15', asOfDate: '2020-10-16' },
      { applicationId: id, round: 1, unit: 'PBC', dueDate: '2020-10-15', asOfDate: '2020-10-16' },
    ]);

    // More ticks, days later: nothing new.
    e.clock.set('2020-10-19T00:30:00.000Z');
    await pm.tick();
    await pm.tick();
    expect(await overdueEvents(id)).toHaveLength(2);

    await e.caughtUp(overdue[1].globalPosition);
    const detail = await e.http().get(`/api/v1/applications/${id}`).set(e.auth('FIN', 'officer')).expect(200);
    expect(detail.body.overdueReviews).toEqual([
      expect.objectContaining({ round: 1, unit: 'COM', dueDate: '2020-10-15', asOfDate: '2020-10-16' }),
      expect.objectContaining({ round: 1, unit: 'PBC', dueDate: '2020-10-15', asOfDate: '2020-10-16' }),
    ]);

    const inbox = await e.http().get('/api/v1/inbox').set(e.auth('COM', 'officer')).expect(200);
    const chases = (inbox.body.items as Array<Record<string, unknown>>).filter((i) => i.applicationId === id && i.task === 'overdue-review');
    expect(chases.map((i) => [i.reviewUnit, i.dueDate, i.overdueAsOf])).toEqual([
      ['COM', '2020-10-15', '2020-10-16'],
      ['PBC', '2020-10-15', '2020-10-16'],
    ]);

    // The approval process folds the log on its own schedule: the read names the position it needs.
    const deadlines = await e
      .http()
      .get(`/api/v1/applications/${id}/deadlines?minPosition=${overdue[1].globalPosition}`)
      .set(e.auth('PBC', 'officer'))
      .expect(200);
    expect(deadlines.body.processedUpTo).toBeGreaterThanOrEqual(overdue[1].globalPosition);
    expect(deadlines.body).toMatchObject({
      status: 'under-review',
      round: 1,
      acceptedOn: '2020-09-25',
      awaiting: ['COM', 'PBC'],
      reviews: [
        { unit: 'COM', dueDate: '2020-10-15', overdue: true },
        { unit: 'PBC', dueDate: '2020-10-15', overdue: true },
      ],
      calendarNotes: [],
    });
  });

  it('given an acceptance whose review period reaches 2027 (no calendar), the case says calendar-missing:2027', async () => {
    e.clock.set('2026-12-20T02:00:00.000Z');
    const id = await submit();
    e.clock.set('2026-12-24T02:00:00.000Z');
    const accepted = await accept(id);
    expect(accepted).toMatchObject({ dueDate: '2027-01-07', notes: ['calendar-missing:2027'] });
    await pm.caughtUp(accepted.position);

    const caseAccepted = (await e.events(`application-${id}`)).find((ev) => ev.type === 'CaseAccepted')!;
    expect(caseAccepted.data).toMatchObject({ calendarNotes: ['calendar-missing:2027'] });
    await e.caughtUp(accepted.position);
    const detail = await e.http().get(`/api/v1/applications/${id}`).set(e.auth('FIN', 'officer')).expect(200);
    expect(detail.body.calendarNotes).toEqual(['calendar-missing:2027']);
    const deadlines = await e.http().get(`/api/v1/applications/${id}/deadlines`).set(e.auth('FIN', 'officer')).expect(200);
    expect(deadlines.body.calendarNotes).toEqual(['calendar-missing:2027']);
  });

  it('the deadlines of a case are for its parties only', async () => {
    const id = await submit();
    const accepted = await accept(id);
    await pm.caughtUp(accepted.position);
    await e
      .http()
      .get(`/api/v1/applications/${id}/deadlines`)
      .set(e.auth('APPLICANT', 'applicant', '91341500MA20100257'))
      // Another enterprise's case does not exist for an applicant (docs/api.md "Uniform answers").
      .expect(404);
    await e.http().get(`/api/v1/applications/${id}/deadlines`).set(e.auth('AUDIT', 'auditor')).expect(200);
    await e.http().get('/api/v1/applications/no-such-case/deadlines').set(e.auth('AUDIT', 'auditor')).expect(404);
    await e.http().get(`/api/v1/applications/${id}/deadlines`).expect(401);
  });

  it('a deadlines read for a position the process has not reached answers 503 process-lagging; one beyond the log or a bad minPosition is a 400', async () => {
    const id = await submit();
    const accepted = await accept(id);
    await pm.caughtUp(accepted.position);
    const beyond = await e
      .http()
      .get(`/api/v1/applications/${id}/deadlines?minPosition=${accepted.position + 1000}`)
      .set(e.auth('FIN', 'officer'))
      .expect(400);
    expect(beyond.body).toMatchObject({ code: 'position-beyond-head', minPosition: accepted.position + 1000 });
    expect(beyond.body.head).toBeGreaterThanOrEqual(accepted.position);
    // The process stops following the log; a later command's position is in the log but not in its state.
    await pm.stop();
    const later = await accept(await submit());
    const ahead = await e.http().get(`/api/v1/applications/${id}/deadlines?minPosition=${later.position}`).set(e.auth('FIN', 'officer')).expect(503);
    expect(ahead.body).toMatchObject({ code: 'process-lagging' });
    pm.start();
    const bad = await e.http().get(`/api/v1/applications/${id}/deadlines?minPosition=soon`).set(e.auth('FIN', 'officer')).expect(400);
    expect(JSON.stringify(bad.body)).toContain('minPosition');
  }, 20_000); // the 503 comes after the 5 s wait
});
