import { ProcessManager } from '@cbec/workflow';
import { E2eApp, luanUscc, startApp } from './support/e2e-app';
import { accept, p2aSubmission, submit } from './support/flows';

/**
 * 督办's deadline board (GET /inbox/reviews, docs/api.md): every cooperating unit's pending review, due date
 * first, with the overdue ones flagged once the injected clock passes the due date; for the leading-group
 * office and AUDIT alone.
 */
describe('the deadline board of every unit', () => {
  let e: E2eApp;

  beforeAll(async () => {
    e = await startApp({ now: '2020-09-18T02:00:00.000Z' });
  });
  afterAll(() => e.close());

  it('lists the pending reviews of every unit, drops an answered one, flags the overdue, and refuses other units', async () => {
    const first = await submit(e, { ...p2aSubmission(luanUscc(9101)), year: 2019 });
    const second = await submit(e, { ...p2aSubmission(luanUscc(9102)), year: 2019 });
    await accept(e, first);
    e.clock.set('2020-09-21T02:00:00.000Z');
    await accept(e, second);
    const answered = await e
      .http()
      .post(`/api/v1/applications/${first}/opinions`)
      .set(e.auth('CUS', 'officer'))
      .send({ verdict: 'approve', comment: '数据一致' })
      .expect(201);

    const board = await e.http().get(`/api/v1/inbox/reviews?minPosition=${answered.body.position}`).set(e.auth('COM', 'officer')).expect(200);
    expect(board.body.total).toBe(5);
    expect(
      board.body.items.map((i: { applicationId: string; reviewUnit: string }) => `${i.applicationId === first ? 'first' : 'second'}:${i.reviewUnit}`),
    ).toEqual(['first:COM', 'first:PBC', 'second:COM', 'second:CUS', 'second:PBC']);
    expect(board.body.items.every((i: { overdue: boolean; dueDate: string }) => !i.overdue && i.dueDate)).toBe(true);

    const paged = await e.http().get('/api/v1/inbox/reviews?unit=PBC&limit=1&offset=1').set(e.auth('AUDIT', 'auditor')).expect(200);
    expect({ total: paged.body.total, ids: paged.body.items.map((i: { applicationId: string }) => i.applicationId) }).toEqual({ total: 2, ids: [second] });

    // Past both due dates (ten working days after Fri 2020-09-18 and Mon 2020-09-21, across National Day 2020): the reviews are late.
    const pm = e.app.get(ProcessManager);
    await pm.caughtUp(answered.body.position);
    e.clock.set('2020-10-19T02:00:00.000Z');
    await pm.tick();
    await e.caughtUp(await e.store.headPosition());
    const overdue = await e.http().get('/api/v1/inbox/reviews?overdue=true').set(e.auth('COM', 'head')).expect(200);
    expect(overdue.body.items.map((i: { reviewUnit: string; overdue: boolean }) => [i.reviewUnit, i.overdue])).toEqual(
      expect.arrayContaining([
        ['COM', true],
        ['PBC', true],
      ]),
    );
    expect(overdue.body.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);

    const byFin = await e.http().get('/api/v1/inbox/reviews').set(e.auth('FIN', 'head')).expect(403);
    expect(byFin.body.code).toBe('forbidden');
    const bad = await e.http().get('/api/v1/inbox/reviews?overdue=maybe').set(e.auth('COM', 'officer')).expect(400);
    expect(JSON.stringify(bad.body)).toContain('overdue must be true or false');
  });
});
