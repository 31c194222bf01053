import { beneficiaryDecider, getPolicy } from '@cbec/domain';
import { given } from '../testing/given-events';
import { describeEachEngine } from '../testing/read-model-engines';
import { uscc } from '../testing/scenario';
import { readBeneficiaryTotals } from './get-beneficiary-totals/get-beneficiary-totals.query';
import { BeneficiaryAwardRow, beneficiaryTotalsProjection } from './beneficiary-totals.projection';
import { casesProjection } from '../cases/cases.projection';

const A = uscc(1);
const policy = getPolicy();

async function approved(program: 'P1' | 'P2a' | 'P2b', id: string, amount: string, s: Parameters<Parameters<typeof given>[0]>[0], year = 2019) {
  await s.submit(id, program, A, { year });
  await s.accept(id);
  for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion(id, u);
  await s.approve(id, amount);
}

describeEachEngine('beneficiary totals projection', (engine) => {
  it('one row per reservation: reserved, then confirmed with the approved amount', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '1000000.00');
        await approved('P2a', 'c1', '100000.00', s);
      },
      [beneficiaryTotalsProjection],
      engine,
    );
    expect(await g.rows<BeneficiaryAwardRow>('beneficiary_awards')).toEqual([
      expect.objectContaining({
        reservation_id: 'res-c1',
        uscc: A,
        application_id: 'c1',
        program: 'P2a',
        year: 2019,
        amount_fen: 10_000_000,
        status: 'confirmed',
        disbursed_fen: 0,
      }),
    ]);
  });

  it('四（二）: P2a + P2b share the article cap of 200,000.00; what remains is the cap minus both (E8)', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '1000000.00');
        await approved('P2a', 'c1', '100000.00', s);
        await approved('P2b', 'c2', '60000.00', s);
      },
      [beneficiaryTotalsProjection],
      engine,
    );
    const totals = await readBeneficiaryTotals(g.readModels.reader, policy, A, 2019);
    expect(totals.articles.find((a) => a.article === '四（二）')).toEqual({
      article: '四（二）',
      programs: ['P2a', 'P2b'],
      countedCny: '160000.00',
      annualCapCny: '200000.00',
      remainingCny: '40000.00',
    });
    const p2a = totals.programs.find((p) => p.program === 'P2a')!;
    const p2b = totals.programs.find((p) => p.program === 'P2b')!;
    // P2a is once per year: nothing remains for it whatever the caps say.
    expect(p2a).toMatchObject({ approvedCny: '100000.00', annualCapCny: '100000.00', remainingCny: '0.00', blockedBy: 'already-awarded' });
    expect(p2b).toMatchObject({ approvedCny: '60000.00', annualCapCny: null, remainingCny: '0.00', blockedBy: 'already-awarded' });
    expect(totals.totalCountedCny).toBe('160000.00');
  });

  it('what remains for a program not yet awarded is cut by the article cap the other program used', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '1000000.00');
        await approved('P2b', 'c1', '150000.00', s);
      },
      [beneficiaryTotalsProjection],
      engine,
    );
    const p2a = (await readBeneficiaryTotals(g.readModels.reader, policy, A, 2019)).programs.find((p) => p.program === 'P2a')!;
    expect(p2a).toMatchObject({ countedCny: '0.00', annualCapCny: '100000.00', remainingCny: '50000.00', blockedBy: null });
  });

  it('a reservation in progress counts against the caps; a released one does not', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '1000000.00');
        await s.submit('held', 'P2b', A);
        await s.accept('held');
        for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion('held', u);
        await s.submit('failed', 'P2a', A);
        await s.accept('failed');
        for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion('failed', u);
        await s.approve('failed', '90000.00', { failAfterReserve: true });
      },
      [beneficiaryTotalsProjection],
      engine,
    );
    let totals = await readBeneficiaryTotals(g.readModels.reader, policy, A, 2019);
    expect(totals.programs.find((p) => p.program === 'P2a')).toMatchObject({ countedCny: '0.00', remainingCny: '100000.00' });
    expect(totals.awards).toEqual([expect.objectContaining({ applicationId: 'failed', status: 'released', amountCny: '90000.00' })]);

    // A reservation held but not yet confirmed (the approval process between its steps):
    await g.scenario.aggregates.execute(
      `beneficiary-${A}`,
      beneficiaryDecider,
      { type: 'ReserveAward', data: { uscc: A, reservationId: 'res-held', applicationId: 'held', program: 'P2b', year: 2019, requestedCny: '30000.00' } },
      {
        commandId: 'reserve-held',
        correlationId: 'x',
        causationId: null,
        actor: { user: 'fin-head', unit: 'FIN', role: 'head' },
        now: new Date('2020-03-03T00:00:00Z'),
      },
    );
    await g.catchUp();
    totals = await readBeneficiaryTotals(g.readModels.reader, policy, A, 2019);
    expect(totals.programs.find((p) => p.program === 'P2b')).toMatchObject({ reservedCny: '30000.00', approvedCny: '0.00', countedCny: '30000.00' });
    expect(totals.articles.find((a) => a.article === '四（二）')!.remainingCny).toBe('170000.00');
  });

  it('四（一）: P1 is once ever; a later year shows nothing remaining, already awarded', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '1000000.00');
        await approved('P1', 'p1', '50000.00', s);
      },
      [beneficiaryTotalsProjection],
      engine,
    );
    const p1 = (await readBeneficiaryTotals(g.readModels.reader, policy, A, 2021)).programs.find((p) => p.program === 'P1')!;
    expect(p1).toMatchObject({ countedCny: '0.00', annualCapCny: null, remainingCny: '0.00', blockedBy: 'already-awarded' });
    const p1Before = (await readBeneficiaryTotals(g.readModels.reader, policy, uscc(9), 2021)).programs.find((p) => p.program === 'P1')!;
    expect(p1Before).toMatchObject({ remainingCny: null, blockedBy: null });
  });

  it('shows what was paid, and the municipal foreign-trade awards COM recorded for the year', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '1000000.00');
        await approved('P2a', 'c1', '70000.00', s);
        await s.disburse('c1');
        await s.recordExternalAward(A, 2019, 'LFT-2019-17', '30000.00');
      },
      [beneficiaryTotalsProjection, casesProjection],
      engine,
    );
    const totals = await readBeneficiaryTotals(g.readModels.reader, policy, A, 2019);
    expect(totals.programs.find((p) => p.program === 'P2a')).toMatchObject({ approvedCny: '70000.00', disbursedCny: '70000.00' });
    expect(totals.totalDisbursedCny).toBe('70000.00');
    expect(totals.externalAwards).toEqual([expect.objectContaining({ ref: 'LFT-2019-17', amountCny: '30000.00', recordedBy: 'com-officer' })]);
  });

  it('keeps a municipal award above 2^53 fen exact, as a log written before the amount limits may hold it', async () => {
    const g = await given(
      async (s) => {
        await s.appendAsStored(`beneficiary-${A}`, 'ExternalAwardRecorded', {
          uscc: A,
          year: 2019,
          ref: 'LFT-2019-99',
          amountCny: '90071992547409.93',
          recordedBy: 'com-officer',
        });
      },
      [beneficiaryTotalsProjection],
      engine,
    );
    expect((await readBeneficiaryTotals(g.readModels.reader, policy, A, 2019)).externalAwards).toEqual([
      expect.objectContaining({ ref: 'LFT-2019-99', amountCny: '90071992547409.93' }),
    ]);
  });
});
