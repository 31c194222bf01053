import { fundDecider } from '@cbec/domain';
import { InMemoryEventStore, type RecordedEvent } from '@cbec/event-store';
import { ReadModelDb } from '../runner/read-model-db';
import { given } from '../testing/given-events';
import { describeEachEngine } from '../testing/read-model-engines';
import { Scenario, uscc } from '../testing/scenario';
import { readFundStatus } from './get-fund-status/get-fund-status.query';
import { fundStatusProjection } from './fund-status.projection';

async function readyForDecision(s: Parameters<Parameters<typeof given>[0]>[0], id: string, n: number) {
  await s.submit(id, 'P2a', uscc(n));
  await s.accept(id);
  for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion(id, u);
}

describeEachEngine('fund status projection', (engine) => {
  it('a year with no appropriation answers zeros', async () => {
    const g = await given(async () => undefined, [fundStatusProjection], engine);
    expect(await readFundStatus(g.readModels.reader, 2019)).toEqual({
      year: 2019,
      appropriationCny: '0.00',
      committedCny: '0.00',
      disbursedCny: '0.00',
      availableCny: '0.00',
      outstandingCny: '0.00',
      recoveredCny: '0.00',
      allocations: 0,
      commitments: { committed: 0, paid: 0, released: 0 },
    });
  });

  // The fund decider keeps a year's appropriations within AMOUNT_LIMITS.fundYearCny; a log written before
  // that limit may still hold more, and the read model shows it exactly.
  it('keeps money exact above 2^53 fen, as a log written before the amount limits may hold: 90071992547409.93 and its sum with 0.01', async () => {
    const g = await given(
      async (s) => {
        await s.appendAsStored('fund-2019', 'FundBudgetAllocated', { year: 2019, amountCny: '90071992547409.93' });
        await s.appendAsStored('fund-2020', 'FundBudgetAllocated', { year: 2020, amountCny: '90071992547409.93' });
        await s.appendAsStored('fund-2020', 'FundBudgetAllocated', { year: 2020, amountCny: '0.01' });
      },
      [fundStatusProjection],
      engine,
    );
    expect(await readFundStatus(g.readModels.reader, 2019)).toMatchObject({
      appropriationCny: '90071992547409.93',
      availableCny: '90071992547409.93',
      allocations: 1,
    });
    expect(await readFundStatus(g.readModels.reader, 2020)).toMatchObject({
      appropriationCny: '90071992547409.94',
      availableCny: '90071992547409.94',
      allocations: 2,
    });
  });

  it("stops loudly at an appropriation whose year's sum would pass 64 bits of fen, never storing a rounded figure", async () => {
    // Two appropriations of ¥90,000,000,000,000,000.01, as a log written before the amount limits may hold.
    const store = new InMemoryEventStore();
    const s = new Scenario(store);
    await s.appendAsStored('fund-2022', 'FundBudgetAllocated', { year: 2022, amountCny: '90000000000000000.01' });
    const second = await s.appendAsStored('fund-2022', 'FundBudgetAllocated', { year: 2022, amountCny: '90000000000000000.01' });
    const events: RecordedEvent[] = [];
    for await (const e of store.readAll()) events.push(e);
    const rm = await ReadModelDb.open(await engine.create(), [fundStatusProjection]);
    expect((await rm.applyBatch(events)).failures).toEqual([
      expect.objectContaining({
        projection: 'fund-status',
        globalPosition: second,
        streamId: 'fund-2022',
        streamVersion: 1,
        // SQLite: the projection's own check; PostgreSQL: BIGINT refuses the overflow.
        error:
          engine.name === 'sqlite'
            ? 'the appropriations of 2022 add up to more than a read model stores exactly (92233720368547758.07)'
            : expect.stringMatching(/bigint out of range/),
      }),
    ]);
    // The read model stays at the event before, exact.
    expect(await readFundStatus(rm.reader, 2022)).toMatchObject({ appropriationCny: '90000000000000000.01', allocations: 1 });
  });

  it('appropriations add up; approvals commit; payments disburse; available is appropriation minus committed', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '600000.00');
        await s.allocate(2019, '400000.00');
        await s.allocate(2020, '5.00');
        await readyForDecision(s, 'c1', 1);
        await s.approve('c1', '100000.00');
        await readyForDecision(s, 'c2', 2);
        await s.approve('c2', '80000.00');
        await s.disburse('c1');
      },
      [fundStatusProjection],
      engine,
    );
    expect(await readFundStatus(g.readModels.reader, 2019)).toEqual({
      year: 2019,
      appropriationCny: '1000000.00',
      committedCny: '180000.00',
      disbursedCny: '100000.00',
      availableCny: '820000.00',
      outstandingCny: '80000.00',
      recoveredCny: '0.00',
      allocations: 2,
      commitments: { committed: 1, paid: 1, released: 0 },
    });
    expect((await readFundStatus(g.readModels.reader, 2020)).appropriationCny).toBe('5.00');
  });

  it('a released commitment gives its amount back to what is available', async () => {
    const g = await given(
      async (s) => {
        await s.allocate(2019, '100000.00');
        await readyForDecision(s, 'c1', 1);
        await s.approve('c1', '40000.00');
        await s.aggregates.execute(
          'fund-2019',
          fundDecider,
          { type: 'ReleaseCommitment', data: { year: 2019, commitmentId: 'com-c1', reason: 'approval compensated' } },
          {
            commandId: 'release',
            correlationId: 'x',
            causationId: null,
            actor: { user: 'p', unit: 'FIN', role: 'system' },
            now: new Date('2020-03-05T00:00:00Z'),
          },
        );
      },
      [fundStatusProjection],
      engine,
    );
    expect(await readFundStatus(g.readModels.reader, 2019)).toMatchObject({
      committedCny: '0.00',
      availableCny: '100000.00',
      commitments: { committed: 0, paid: 0, released: 1 },
    });
  });
});
