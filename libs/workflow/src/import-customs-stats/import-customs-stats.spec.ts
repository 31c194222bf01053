import { customsDecider, InvalidCustomsRows } from '@cbec/domain';
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
      {
        line: 2,
        year: 2019,
        uscc: uscc(1),
        name: '企业, 甲',
        export9610Usd: '60000.00',
        cbecImportUsd: '0.00',
        cbecExportUsd: '1.50',
        totalExportUsd: '100.00',
        platformLocalOnlineTradeUsd: null,
      },
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
    await expect(
      handler.execute(
        new ImportCustomsStatsCommand(file(`2018,${uscc(1)},a,1.00,0.00,0.00,1.00,`, `2019,${uscc(1)},a,-1,0.00,0.00,1.00,`), f.ctx(actors.cusOfficer)),
      ),
    ).rejects.toMatchObject({
      httpStatus: 422,
      errors: [{ line: 3, field: 'export_9610_usd' }],
    });
    expect(await f.events.headPosition()).toBe(0);
    const answer = await handler.execute(
      new ImportCustomsStatsCommand(file(`2018,${uscc(1)},a,1.00,0.00,0.00,1.00,`, `2019,${uscc(1)},a,2.00,0.00,0.00,2.00,`), f.ctx(actors.cusOfficer)),
    );
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

  it('records a file whose figures are all in force, so it stays the same file after a newer one revised them', async () => {
    const f0 = file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`, `2019,${uscc(2)},b,2.00,0.00,0.00,2.00,`);
    const f1 = file(`2019,${uscc(2)},b,2.00,0.00,0.00,2.00,`, `2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`); // same figures, rows swapped
    await handler.execute(new ImportCustomsStatsCommand(f0, f.ctx(actors.cusOfficer)));
    expect(await handler.execute(new ImportCustomsStatsCommand(f1, f.ctx(actors.cusOfficer)))).toMatchObject({ imported: 0, revised: 0, unchanged: 2 });
    await handler.execute(new ImportCustomsStatsCommand(file(`2019,${uscc(1)},a,9.00,0.00,0.00,9.00,`), f.ctx(actors.cusOfficer)));
    const head = await f.events.headPosition();
    expect(await handler.execute(new ImportCustomsStatsCommand(f1, f.ctx(actors.cusOfficer)))).toMatchObject({ imported: 0, revised: 0, unchanged: 2 });
    expect(await f.events.headPosition()).toBe(head);
    expect(await f.types('customs-2019')).toEqual([
      'CustomsStatisticsImported',
      'CustomsStatisticsImported',
      'CustomsBatchUnchanged',
      'CustomsStatisticsRevised',
    ]);
  });

  describe('a file spanning several years', () => {
    const threeYears = file(
      `2017,${uscc(1)},a,1.00,0.00,0.00,1.00,`,
      `2018,${uscc(1)},a,1.00,0.00,0.00,1.00,`,
      `2018,${uscc(2)},拒,1.00,0.00,0.00,1.00,`,
      `2019,${uscc(2)},拒,1.00,0.00,0.00,1.00,`,
    );
    afterEach(() => jest.restoreAllMocks());

    it('stores no year when any year refuses rows (even by a rule the file reader does not repeat), listing every refused row by line', async () => {
      const decide = customsDecider.decide;
      jest.spyOn(customsDecider, 'decide').mockImplementation((command, state) => {
        const rows = command.data.rows.flatMap((r, row) => (r.name === '拒' ? [{ row, field: 'name', detail: 'refused by the decider' }] : []));
        if (rows.length > 0) throw new InvalidCustomsRows(rows);
        return decide(command, state);
      });
      await expect(handler.execute(new ImportCustomsStatsCommand(threeYears, f.ctx(actors.cusOfficer)))).rejects.toMatchObject({
        httpStatus: 422,
        code: 'invalid-customs-rows',
        errors: [
          { line: 4, field: 'name', reason: 'refused by the decider' },
          { line: 5, field: 'name', reason: 'refused by the decider' },
        ],
      });
      expect(await f.events.headPosition()).toBe(0);
    });

    it('is completed by importing it again after a crash between two years, storing nothing twice', async () => {
      const append = f.events.append.bind(f.events);
      const crash = jest
        .spyOn(f.events, 'append')
        .mockImplementation((streamId, events, options) =>
          streamId === 'customs-2019' ? Promise.reject(new Error('power lost')) : append(streamId, events, options),
        );
      await expect(handler.execute(new ImportCustomsStatsCommand(threeYears, f.ctx(actors.cusOfficer)))).rejects.toThrow('power lost');
      expect(await f.types('customs-2018')).toEqual(['CustomsStatisticsImported', 'CustomsStatisticsImported']);
      expect(await f.types('customs-2019')).toEqual([]);
      crash.mockRestore();

      const again = await handler.execute(new ImportCustomsStatsCommand(threeYears, f.ctx(actors.cusOfficer)));
      expect(again).toMatchObject({ rows: 4, imported: 1, revised: 0, unchanged: 3 });
      expect(await f.types('customs-2017')).toEqual(['CustomsStatisticsImported']);
      expect(await f.types('customs-2018')).toEqual(['CustomsStatisticsImported', 'CustomsStatisticsImported']);
      expect(await f.types('customs-2019')).toEqual(['CustomsStatisticsImported']);
      const head = await f.events.headPosition();
      expect(await handler.execute(new ImportCustomsStatsCommand(threeYears, f.ctx(actors.cusOfficer)))).toMatchObject({ imported: 0, unchanged: 4 });
      expect(await f.events.headPosition()).toBe(head);
    });
  });

  it('is for CUS only', async () => {
    await expect(handler.execute(new ImportCustomsStatsCommand(file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`), f.ctx(actors.finHead)))).rejects.toMatchObject({
      httpStatus: 403,
    });
  });
});
