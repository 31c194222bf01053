import { actors, WorkflowFixture } from '../testing/workflow-fixture';
import { AllocateFundBudgetCommand } from './allocate-fund-budget.command';
import { AllocateFundBudgetHandler } from './allocate-fund-budget.handler';

describe('AllocateFundBudget', () => {
  let f: WorkflowFixture;
  let handler: AllocateFundBudgetHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new AllocateFundBudgetHandler(f.aggregates);
  });

  it("adds to the year's appropriation, allocation after allocation", async () => {
    await handler.execute(new AllocateFundBudgetCommand(2019, '1000000.00', f.ctx(actors.finHead)));
    const second = await handler.execute(new AllocateFundBudgetCommand(2019, '500000.00', f.ctx(actors.finHead)));
    expect(second).toMatchObject({ year: 2019, version: 1 });
    expect((await f.stream('fund-2019')).map((e) => e.data)).toEqual([
      { year: 2019, amountCny: '1000000.00' },
      { year: 2019, amountCny: '500000.00' },
    ]);
  });

  it('is for the FIN head only', async () => {
    await expect(handler.execute(new AllocateFundBudgetCommand(2019, '1.00', f.ctx(actors.finOfficer)))).rejects.toMatchObject({ httpStatus: 403 });
    await expect(handler.execute(new AllocateFundBudgetCommand(2019, '1.00', f.ctx({ user: 'h', unit: 'COM', role: 'head' })))).rejects.toMatchObject({
      httpStatus: 403,
    });
  });

  it('refuses a zero appropriation', async () => {
    await expect(handler.execute(new AllocateFundBudgetCommand(2019, '0.00', f.ctx(actors.finHead)))).rejects.toMatchObject({
      code: 'invalid-command',
      field: 'amountCny',
    });
  });
});
