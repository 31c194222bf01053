import { given } from '../testing/given-events';
import { describeEachEngine } from '../testing/read-model-engines';
import { actors, uscc } from '../testing/scenario';
import { inboxFor } from './get-inbox/get-inbox.query';
import { inboxProjection } from './inbox.projection';

const A = uscc(1);
const B = uscc(2);
const tasks = async (db: Parameters<typeof inboxFor>[0], actor: Parameters<typeof inboxFor>[1]) =>
  (await inboxFor(db, actor)).items.map((i) => [i.applicationId, i.task, i.dueDate]);

describeEachEngine('inbox projection', (engine) => {
  it('a submitted case awaits acceptance by its lead unit, and nobody else', async () => {
    const g = await given((s) => s.submit('c1', 'P2a', A), [inboxProjection], engine);
    expect(await tasks(g.readModels.reader, actors.finOfficer)).toEqual([['c1', 'accept', null]]);
    expect(await tasks(g.readModels.reader, actors.com)).toEqual([]);
  });

  it('acceptance hands the case to every cooperating unit with its due date, and out of the lead unit', async () => {
    const g = await given(
      async (s) => {
        await s.submit('c1', 'P2a', A);
        await s.accept('c1', '2020-03-16');
      },
      [inboxProjection],
      engine,
    );
    for (const unit of [actors.com, actors.cus, actors.pbc]) {
      expect(await tasks(g.readModels.reader, unit)).toEqual([['c1', 'review', '2020-03-16']]);
    }
    expect(await tasks(g.readModels.reader, actors.finOfficer)).toEqual([]);
  });

  it('lists due dates first, earliest first, then the oldest items', async () => {
    const g = await given(
      async (s) => {
        await s.submit('late-due', 'P2a', A);
        await s.accept('late-due', '2020-03-20');
        await s.submit('early-due', 'P2b', B);
        await s.accept('early-due', '2020-03-10');
        await s.submit('old', 'P1', uscc(3));
        await s.submit('new', 'P1', uscc(4));
      },
      [inboxProjection],
      engine,
    );
    expect(await tasks(g.readModels.reader, actors.com)).toEqual([
      ['early-due', 'review', '2020-03-10'],
      ['late-due', 'review', '2020-03-20'],
    ]);
    expect(await tasks(g.readModels.reader, actors.finOfficer)).toEqual([
      ['old', 'accept', null],
      ['new', 'accept', null],
    ]);
  });

  it("an opinion takes the review out of that unit's inbox only; the last approve brings the decision to the lead unit", async () => {
    const g = await given(
      async (s) => {
        await s.submit('c1', 'P2a', A);
        await s.accept('c1');
        await s.opinion('c1', 'COM');
      },
      [inboxProjection],
      engine,
    );
    expect(await tasks(g.readModels.reader, actors.com)).toEqual([]);
    expect(await tasks(g.readModels.reader, actors.cus)).toEqual([['c1', 'review', '2020-03-16']]);
    await g.scenario.opinion('c1', 'CUS');
    await g.scenario.opinion('c1', 'PBC');
    await g.catchUp();
    expect(await tasks(g.readModels.reader, actors.finHead)).toEqual([['c1', 'decide', null]]);
    expect((await inboxFor(g.readModels.reader, actors.finHead)).items[0].detail).toMatch(/every opinion of round 1 is approve/);
  });

  it('a reject opinion clears the other reviews and brings the objected case back to the lead unit', async () => {
    const g = await given(
      async (s) => {
        await s.submit('c1', 'P2a', A);
        await s.accept('c1');
        await s.opinion('c1', 'PBC', 'reject', 'no');
      },
      [inboxProjection],
      engine,
    );
    expect(await tasks(g.readModels.reader, actors.com)).toEqual([]);
    expect(await tasks(g.readModels.reader, actors.finOfficer)).toEqual([['c1', 'decide', null]]);
    expect((await inboxFor(g.readModels.reader, actors.finOfficer)).items[0].detail).toBe('objected by PBC in round 1');
  });

  it("an overdue review shows in the leading-group office's (COM) inbox until the late opinion arrives", async () => {
    const g = await given(
      async (s) => {
        await s.submit('c1', 'P2a', A);
        await s.accept('c1', '2020-03-16');
        await s.opinion('c1', 'COM');
        await s.overdue('c1', 'CUS', 1, '2020-03-17');
      },
      [inboxProjection],
      engine,
    );
    expect((await inboxFor(g.readModels.reader, actors.com)).items).toEqual([
      expect.objectContaining({
        applicationId: 'c1',
        task: 'overdue-review',
        reviewUnit: 'CUS',
        dueDate: '2020-03-16',
        overdue: true,
        overdueAsOf: '2020-03-17',
      }),
    ]);
    expect((await inboxFor(g.readModels.reader, actors.cus)).items).toEqual([
      expect.objectContaining({ task: 'review', overdue: true, overdueAsOf: '2020-03-17' }),
    ]);
    await g.scenario.opinion('c1', 'CUS');
    await g.catchUp();
    expect(await tasks(g.readModels.reader, actors.com)).toEqual([]);
    expect(await tasks(g.readModels.reader, actors.cus)).toEqual([]);
  });

  it('an approved award awaits disbursement by FIN; a disbursed or rejected case awaits nobody', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '1000000.00');
        await s.submit('c1', 'P2a', A);
        await s.accept('c1');
        for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion('c1', u);
        await s.approve('c1', '50000.00');
        await s.submit('c2', 'P2a', B);
        await s.reject('c2');
      },
      [inboxProjection],
      engine,
    );
    expect(await tasks(g.readModels.reader, actors.finOfficer)).toEqual([['c1', 'disburse', null]]);
    await g.scenario.disburse('c1');
    await g.catchUp();
    expect(await g.rows('inbox_items', 'application_id')).toEqual([]);
  });

  it("flags a second application for a program and year the enterprise already holds an award for, with the award's case, in the lead unit's inbox", async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '1000000.00');
        await s.submit('first', 'P2a', A);
        await s.submit('pending-meanwhile', 'P2a', A);
        await s.accept('pending-meanwhile');
        await s.submit('other-year', 'P2a', A, { year: 2020 });
        await s.submit('other-program', 'P2b', A);
        await s.submit('other-enterprise', 'P2a', B);
        await s.accept('first');
        for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion('first', u);
        await s.approve('first', '50000.00');
        await s.submit('after-award', 'P2a', A);
      },
      [inboxProjection],
      engine,
    );
    const flags = async (actor: Parameters<typeof inboxFor>[1]) =>
      Object.fromEntries((await inboxFor(g.readModels.reader, actor)).items.map((i) => [`${i.applicationId} ${i.task}`, i.earlierAwardId]));
    // Given an award approved on "first", the lead unit sees the later application as a second one...
    expect(await flags(actors.finOfficer)).toEqual({
      'first disburse': null,
      'other-year accept': null,
      'other-program accept': null,
      'other-enterprise accept': null,
      'after-award accept': 'first',
    });
    // ...and so do the reviewers of the one that was already under review when the award was approved.
    expect(await flags(actors.com)).toEqual({ 'pending-meanwhile review': 'first' });

    // The flag stays with the case through its next steps.
    await g.scenario.accept('after-award');
    for (const u of ['COM', 'CUS', 'PBC'] as const) await g.scenario.opinion('after-award', u);
    await g.catchUp();
    expect((await flags(actors.finOfficer))['after-award decide']).toBe('first');
  });

  it('a returned case awaits its own applicant only', async () => {
    const g = await given(
      async (s) => {
        await s.submit('c1', 'P2a', A);
        await s.returnForCorrection('c1', 'attach invoices');
      },
      [inboxProjection],
      engine,
    );
    expect((await inboxFor(g.readModels.reader, actors.applicant(A))).items).toEqual([
      expect.objectContaining({ applicationId: 'c1', task: 'resubmit', detail: 'attach invoices' }),
    ]);
    expect((await inboxFor(g.readModels.reader, actors.applicant(B))).items).toEqual([]);
    expect(await tasks(g.readModels.reader, actors.finOfficer)).toEqual([]);
  });

  it("AUDIT awaits nothing itself but may read any unit's inbox; other units read only their own", async () => {
    const g = await given((s) => s.submit('c1', 'P2a', A), [inboxProjection], engine);
    const audit = { user: 'auditor', unit: 'AUDIT', role: 'auditor' };
    expect((await inboxFor(g.readModels.reader, audit)).items).toEqual([]);
    expect((await inboxFor(g.readModels.reader, audit, 'FIN')).items.map((i) => i.task)).toEqual(['accept']);
    await expect(inboxFor(g.readModels.reader, actors.com, 'FIN')).rejects.toThrow(/reads its own inbox/);
  });
});
