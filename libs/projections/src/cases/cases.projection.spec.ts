import { caseDecider, CaseEvent, evolveAll } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import { given } from '../testing/given-events';
import { describeEachEngine } from '../testing/read-model-engines';
import { uscc } from '../testing/scenario';
import { caseDetailOf, readCaseRow } from './get-case/get-case.query';
import { casesProjection, CaseReviewRow, CaseRow } from './cases.projection';

const A = uscc(1);

describeEachEngine('cases projection', (engine) => {
  describe('a submitted case', () => {
    it('is listed as submitted, routed to the lead unit, at version 0 with its beneficiary and claims', async () => {
      const g = await given((s) => s.submit('c1', 'P2a', A, { name: 'Lu An Trading' }), [casesProjection], engine);
      const [row] = await g.rows<CaseRow>('cases');
      expect(row).toMatchObject({
        application_id: 'c1',
        program: 'P2a',
        year: 2019,
        uscc: A,
        beneficiary_name: 'Lu An Trading',
        status: 'submitted',
        lead_unit: 'FIN',
        round: 0,
        version: 0,
        position: 1,
        policy_version: 'LZB-2019-4',
      });
      expect(JSON.parse(row.cooperating_units)).toEqual(['COM', 'CUS', 'PBC']);
      expect(JSON.parse(row.claims)).toMatchObject({ promotesOnThirdPartyPlatform: true });
    });
  });

  describe('under review', () => {
    it('acceptance opens round 1 with one pending review per cooperating unit and its due date', async () => {
      const g = await given(
        async (s) => {
          await s.submit('c1', 'P2a', A);
          await s.accept('c1', '2020-03-16');
        },
        [casesProjection],
        engine,
      );
      expect((await g.rows<CaseRow>('cases'))[0]).toMatchObject({ status: 'under-review', round: 1, version: 1 });
      expect(await g.rows<CaseReviewRow>('case_reviews', 'unit')).toEqual([
        expect.objectContaining({ round: 1, unit: 'COM', due_date: '2020-03-16', status: 'pending', author: null }),
        expect.objectContaining({ round: 1, unit: 'CUS', due_date: '2020-03-16', status: 'pending' }),
        expect.objectContaining({ round: 1, unit: 'PBC', due_date: '2020-03-16', status: 'pending' }),
      ]);
    });

    it('says so on the case when a due date was counted Monday–Friday for lack of a calendar', async () => {
      const g = await given(
        async (s) => {
          await s.submit('c1', 'P2a', A, { year: 2026 });
          await s.accept('c1', '2027-01-14', ['calendar-missing:2027']);
        },
        [casesProjection],
        engine,
      );
      expect((await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, 'c1'))!)).calendarNotes).toEqual(['calendar-missing:2027']);
    });

    it('still shows the calendar note of an acceptance recorded before CaseAccepted carried it (metadata only)', async () => {
      const g = await given(
        async (s) => {
          await s.submit('c1', 'P2a', A, { year: 2026 });
          await s.accept('c1', '2027-01-14', ['calendar-missing:2027'], 'legacy-metadata');
        },
        [casesProjection],
        engine,
      );
      expect(g.events.find((e) => e.type === 'CaseAccepted')!.data).not.toHaveProperty('calendarNotes');
      expect((await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, 'c1'))!)).calendarNotes).toEqual(['calendar-missing:2027']);
    });

    it('records each opinion with its author, and the last approve makes the case ready for decision', async () => {
      const g = await given(
        async (s) => {
          await s.submit('c1', 'P2a', A);
          await s.accept('c1');
          await s.opinion('c1', 'COM', 'approve', 'platform fees verified');
          await s.opinion('c1', 'CUS');
        },
        [casesProjection],
        engine,
      );
      const detail = await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, 'c1'))!);
      expect(detail.status).toBe('under-review');
      expect(detail.pendingUnits.map((p) => p.unit)).toEqual(['PBC']);
      expect(detail.awaiting).toEqual([{ unit: 'PBC', step: 'review opinion', dueDate: '2020-03-16' }]);
      expect(detail.opinions).toEqual([
        expect.objectContaining({ unit: 'COM', verdict: 'approve', comment: 'platform fees verified', author: 'com-officer' }),
        expect.objectContaining({ unit: 'CUS', verdict: 'approve', author: 'cus-officer' }),
      ]);
      const after = await given(
        async (s) => {
          await s.submit('c1', 'P2a', A);
          await s.accept('c1');
          for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion('c1', u);
        },
        [casesProjection],
        engine,
      );
      expect((await after.rows<CaseRow>('cases'))[0].status).toBe('ready-for-decision');
    });

    it('a reject opinion objects the case and withdraws the reviews still pending', async () => {
      const g = await given(
        async (s) => {
          await s.submit('c1', 'P2a', A);
          await s.accept('c1');
          await s.opinion('c1', 'CUS', 'reject', 'customs figures do not support the growth');
        },
        [casesProjection],
        engine,
      );
      const detail = await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, 'c1'))!);
      expect(detail.status).toBe('objected');
      expect(detail.objection).toMatchObject({ round: 1, unit: 'CUS' });
      expect(detail.awaiting).toEqual([{ unit: 'FIN', step: 'rejection or return', dueDate: null }]);
      expect(detail.pendingUnits).toEqual([]);
      expect((await g.rows<CaseReviewRow>('case_reviews', 'unit')).map((r) => [r.unit, r.status])).toEqual([
        ['COM', 'withdrawn'],
        ['CUS', 'reject'],
        ['PBC', 'withdrawn'],
      ]);
    });

    it('an overdue review stays pending, marked overdue, and is listed among the overdue reviews', async () => {
      const g = await given(
        async (s) => {
          await s.submit('c1', 'P2a', A);
          await s.accept('c1', '2020-03-16');
          await s.overdue('c1', 'PBC', 1, '2020-03-17');
        },
        [casesProjection],
        engine,
      );
      const detail = await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, 'c1'))!);
      expect(detail.pendingUnits.find((p) => p.unit === 'PBC')).toEqual({
        unit: 'PBC',
        round: 1,
        dueDate: '2020-03-16',
        overdue: true,
        overdueAsOf: '2020-03-17',
      });
      expect(detail.overdueReviews).toEqual([{ round: 1, unit: 'PBC', dueDate: '2020-03-16', asOfDate: '2020-03-17', outcome: 'pending' }]);
    });
  });

  describe('decided', () => {
    it('approval stores the award with its trace and references; disbursement records the payment', async () => {
      const g = await given(
        async (s) => {
          await s.allocate(2019, '1000000.00');
          await s.wholeLife('c1', A, '100000.00');
        },
        [casesProjection],
        engine,
      );
      const detail = await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, 'c1'))!);
      expect(detail.status).toBe('disbursed');
      expect(detail.award).toMatchObject({
        amountCny: '100000.00',
        computedCny: '100000.00',
        approvableCny: '100000.00',
        policyVersion: 'LZB-2019-4',
        customsEventIds: ['customs-event-1'],
        reservationId: 'res-c1',
        commitmentId: 'com-c1',
        approvedBy: 'fin-head',
      });
      expect(detail.award!.trace.length).toBeGreaterThan(0);
      expect(detail.disbursement).toMatchObject({ paymentRef: 'PAY-c1', amountCny: '100000.00', disbursedBy: 'fin-officer' });
      expect(detail.awaiting).toEqual([]);
      expect((await g.rows<CaseRow>('cases'))[0].award_cny).toBe(10_000_000);
    });

    it('a second application for a program and year the enterprise already holds an award for names that award; others do not', async () => {
      const B = uscc(2);
      const g = await given(
        async (s) => {
          await s.allocate(2019, '1000000.00');
          await s.wholeLife('first', A, '100000.00');
          await s.submit('second', 'P2a', A);
          await s.submit('other-year', 'P2a', A, { year: 2020 });
          await s.submit('other-program', 'P2b', A);
          await s.submit('other-enterprise', 'P2a', B);
        },
        [casesProjection],
        engine,
      );
      const earlierAward = async (id: string) => (await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, id))!)).earlierAward;
      const award = (await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, 'first'))!)).award!;
      expect(await earlierAward('second')).toEqual({ applicationId: 'first', amountCny: '100000.00', approvedAt: award.approvedAt });
      // The award itself is no second award, and neither is any case of another year, program or enterprise.
      for (const id of ['first', 'other-year', 'other-program', 'other-enterprise']) expect([id, await earlierAward(id)]).toEqual([id, null]);
    });

    it('a return keeps its reason, a resubmission replaces the claims, and re-acceptance opens round 2', async () => {
      const g = await given(
        async (s) => {
          await s.submit('c1', 'P2a', A);
          await s.accept('c1');
          await s.opinion('c1', 'COM', 'reject', 'invoices missing');
          await s.returnForCorrection('c1', 'attach the platform invoices');
          await s.resubmit('c1', A);
          await s.accept('c1', '2020-04-01');
        },
        [casesProjection],
        engine,
      );
      const detail = await caseDetailOf(g.readModels.reader, (await readCaseRow(g.readModels.reader, 'c1'))!);
      expect(detail).toMatchObject({ status: 'under-review', round: 2, returnReason: 'attach the platform invoices' });
      expect(detail.claims).toMatchObject({ corrected: true });
      expect(detail.pendingUnits.map((p) => [p.unit, p.round, p.dueDate])).toEqual([
        ['COM', 2, '2020-04-01'],
        ['CUS', 2, '2020-04-01'],
        ['PBC', 2, '2020-04-01'],
      ]);
      expect(detail.opinions).toEqual([expect.objectContaining({ round: 1, unit: 'COM', verdict: 'reject' })]);
    });
  });

  it("agrees with the case aggregate's status, round and pending reviews after every event", async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '500000.00');
        await s.submit('c1', 'P2a', A);
        await s.returnForCorrection('c1');
        await s.resubmit('c1', A);
        await s.accept('c1');
        await s.opinion('c1', 'COM');
        await s.overdue('c1', 'CUS', 1, '2020-03-17');
        await s.opinion('c1', 'CUS');
        await s.opinion('c1', 'PBC', 'reject', 'no');
        await s.returnForCorrection('c1');
        await s.resubmit('c1', A);
        await s.accept('c1');
        for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion('c1', u);
        await s.approve('c1', '80000.00');
        await s.disburse('c1');
      },
      [],
      engine,
    );
    const caseEvents = g.events.filter((e) => e.streamId === 'application-c1');
    // One store, one event at a time: after each, the rows are the projection of the prefix so far.
    const projected = (await given(async () => undefined, [casesProjection], engine)).readModels;
    for (let n = 1; n <= caseEvents.length; n++) {
      const prefix = caseEvents.slice(0, n);
      await projected.applyBatch([caseEvents[n - 1]] as RecordedEvent[]);
      const row = (await readCaseRow(projected.reader, 'c1'))!;
      const detail = await caseDetailOf(projected.reader, row);
      const state = evolveAll(
        caseDecider,
        prefix.map((e) => ({ type: e.type, data: e.data }) as CaseEvent),
      );
      if (state.status === 'none') throw new Error('no case');
      expect({ status: detail.status, round: detail.round, pending: detail.pendingUnits.map((p) => [p.unit, p.dueDate, p.overdue]) }).toEqual({
        status: state.status,
        round: state.round,
        pending: state.pendingReviews.map((p) => [p.unit, p.dueDate, p.overdue]),
      });
      expect(detail.version).toBe(prefix[prefix.length - 1].version);
    }
  });
});
