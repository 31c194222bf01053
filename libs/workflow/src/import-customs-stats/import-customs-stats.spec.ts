import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { CUSTOMS_CSV_HEADER, parseCustomsCsv } from './customs-csv';
import { ImportCustomsStatsCommand } from './import-customs-stats.command';
import { ImportCustomsStatsHandler } from './import-customs-stats.handler';

const file = (...rows: string[]): string => [CUSTOMS_CSV_HEADER.join(','), ...rows].join('\n') + '\n';

describe('reading a customs statistics file', () => {
  it('reads every row with its line number, an empty platform figure as none recorded', () => {
    const { rows, problems } = parseCustomsCsv(file(`2019,${uscc(1)},"企业, 甲",60000.00,0,1.5,100.00,`));
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, year: 2019, uscc: uscc(1), name: '企业, 甲', export9610Usd: '60000.00', cbecImportUsd: '0.00', cbecExportUsd: '1.50', totalExportUsd: '100.00', platformLocalOnlineTradeUsd: null },
    ]);
  });

  it('lists every bad row and field, not only the first', () => {
    const { problems } = parseCustomsCsv(file(`2019,${uscc(1)},a,1e5,0.00,0.00,0.00,`, `1999,bad,,0.00,0.00,0.00,0.00,x`));
    expect(problems.map((p) => `${p.line}:${p.field}`)).toEqual(['2:export_9610_usd', '3:year', '3:uscc', '3:name', '3:platform_local_online_trade_usd']);
  });

  it('refuses a wrong header and the same enterprise-year twice with different figures', () => {
    expect(parseCustomsCsv('year,uscc\n2019,x\n').problems[0]).toMatchObject({ line: 1, field: 'header' });
    const twice = parseCustomsCsv(file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`, `2019,${uscc(1)},a,2.00,0.00,0.00,2.00,`));
    expect(twice.problems).toEqual([{ line: 3, field: 'uscc', reason: expect.stringMatching(/line 2/) }]);
  });

  it('refuses an unterminated quote as unreadable, with its line', () => {
    expect(parseCustomsCsv(file(`2019,${uscc(1)},"open,1.00,0.00,0.00,1.00,`)).problems[0]).toMatchObject({ field: 'file' });
  });
});

describe('ImportCustomsStats', () => {
  let f: WorkflowFixture;
  let handler: ImportCustomsStatsHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new ImportCustomsStatsHandler(f.aggregates);
  });

  it('stores one stream per year, and nothing when any row is bad', async () => {
    await expect(handler.execute(new ImportCustomsStatsCommand(file(`2018,${uscc(1)},a,1.00,0.00,0.00,1.00,`, `2019,${uscc(1)},a,-1,0.00,0.00,1.00,`), f.ctx(actors.cusOfficer)))).rejects.toMatchObject({
      httpStatus: 422,
      errors: [{ line: 3, field: 'export_9610_usd' }],
    });
    expect(await f.events.headPosition()).toBe(0);
    const answer = await handler.execute(new ImportCustomsStatsCommand(file(`2018,${uscc(1)},a,1.00,0.00,0.00,1.00,`, `2019,${uscc(1)},a,2.00,0.00,0.00,2.00,`), f.ctx(actors.cusOfficer)));
    expect(answer).toMatchObject({ rows: 2, imported: 2, streams: [{ streamId: 'customs-2018' }, { streamId: 'customs-2019' }] });
  });

  it('records different figures for an imported (year, USCC) as a revision, and identical ones as nothing', async () => {
    await handler.execute(new ImportCustomsStatsCommand(file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`), f.ctx(actors.cusOfficer)));
    const same = await handler.execute(new ImportCustomsStatsCommand(file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`), f.ctx(actors.cusOfficer)));
    expect(same).toMatchObject({ imported: 0, revised: 0, unchanged: 1 });
    const revised = await handler.execute(new ImportCustomsStatsCommand(file(`2019,${uscc(1)},a,5.00,0.00,0.00,5.00,`), f.ctx(actors.cusOfficer)));
    expect(revised).toMatchObject({ imported: 0, revised: 1 });
    expect(await f.types('customs-2019')).toEqual(['CustomsStatisticsImported', 'CustomsStatisticsRevised']);
  });

  it('is for CUS only', async () => {
    await expect(handler.execute(new ImportCustomsStatsCommand(file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`), f.ctx(actors.finHead)))).rejects.toMatchObject({ httpStatus: 403 });
  });
});
