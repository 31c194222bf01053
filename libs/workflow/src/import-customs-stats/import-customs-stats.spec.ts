import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import JSZip from 'jszip';
import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { cellText, readCustomsFile, XLSX_MEDIA_TYPE } from './customs-file';
import { ImportRefused, runCustomsImport, serializeRefusal } from './customs-import.job';
import { toProblem, MAX_CUSTOMS_ROWS } from '@cbec/platform';
import { CustomsImports } from './customs-imports';
import { CUSTOMS_CHINESE_HEADERS, CUSTOMS_CSV_HEADER } from './customs-rows';
import { ImportCustomsStatsCommand, StartCustomsImportCommand } from './import-customs-stats.command';
import { ImportCustomsStatsHandler, StartCustomsImportHandler } from './import-customs-stats.handler';

const file = (...rows: string[]): string => [CUSTOMS_CSV_HEADER.join(','), ...rows].join('\n') + '\n';
const csv = (text: string | Buffer, contentType = 'text/csv') => readCustomsFile({ content: typeof text === 'string' ? Buffer.from(text) : text, contentType });
const rowsOf = async (text: string | Buffer, contentType?: string) => {
  const checked = await csv(text, contentType);
  return { problems: checked.problems, rows: [...checked.byYear.values()].flatMap((year) => year.toArray()) };
};
const CHINESE_HEADER = CUSTOMS_CSV_HEADER.map((column) => CUSTOMS_CHINESE_HEADERS[column][0]);
const GBK_SAMPLE = readFileSync(join(__dirname, '../../../../tests/fixtures/customs-20-rows.gbk.csv'));

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('海关统计');
  for (const row of rows) sheet.addRow(row);
  book.addWorksheet('其他').addRow(['not read']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('reading a customs statistics file', () => {
  it('reads every row with its line number, an empty platform figure as none recorded', async () => {
    const { rows, problems } = await rowsOf(file(`2019,${uscc(1)},"企业, 甲",60000.00,0,1.5,100.00,`));
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

  it('lists every bad row and field, not only the first', async () => {
    const { problems } = await rowsOf(file(`2019,${uscc(1)},a,1e5,0.00,0.00,0.00,`, `1999,bad,,0.00,0.00,0.00,0.00,x`));
    expect(problems.map((p) => `${p.line}:${p.field}`)).toEqual(['2:export_9610_usd', '3:year', '3:uscc', '3:name', '3:platform_local_online_trade_usd']);
  });

  it('refuses a wrong header and the same enterprise-year twice with different figures', async () => {
    expect((await rowsOf('year,uscc\n2019,x\n')).problems[0]).toMatchObject({
      line: 1,
      field: 'header',
      reason: expect.stringMatching(/missing column "name"/),
    });
    const twice = await rowsOf(file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`, `2019,${uscc(1)},a,2.00,0.00,0.00,2.00,`));
    expect(twice.problems).toEqual([{ line: 3, field: 'uscc', reason: expect.stringMatching(/line 2/) }]);
  });

  it('refuses an unterminated quote as unreadable, with its line', async () => {
    expect((await rowsOf(file(`2019,${uscc(1)},"open,1.00,0.00,0.00,1.00,`))).problems[0]).toMatchObject({ field: 'file' });
  });

  it('refuses an empty file and a header without rows', async () => {
    expect((await rowsOf('')).problems).toEqual([{ line: 1, field: 'file', reason: expect.stringMatching(/empty/) }]);
    expect((await rowsOf(file())).problems).toEqual([{ line: 2, field: 'file', reason: expect.stringMatching(/no rows/) }]);
  });

  it('accepts the Chinese headers, in any order, full- or half-width parentheses', async () => {
    const header = [...CHINESE_HEADER].reverse().map((h) => h.replace('(', '（').replace(')', '）'));
    const { rows, problems } = await rowsOf(`${header.join(',')}\n,100.00,0.00,0.00,60000.1,名称,${uscc(1)},2019\n`);
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({ year: 2019, uscc: uscc(1), name: '名称', export9610Usd: '60000.10', totalExportUsd: '100.00' });
  });

  describe('the row limit (MAX_CUSTOMS_ROWS)', () => {
    const fiveRows = file(...[1, 2, 3, 4, 5].map((n) => `2019,${uscc(n)},a,1.00,0.00,0.00,1.00,`));

    it('stops reading at the first row past the limit, naming its line, with no rows to store', async () => {
      const checked = await readCustomsFile({ content: Buffer.from(fiveRows), contentType: 'text/csv' }, { maxRows: 3 });
      expect(checked).toMatchObject({ rows: 3, tooManyRows: { line: 5 } });
      expect(checked.byYear.size).toBe(0);
    });

    it('is counted on bad rows too, so a file of bad rows past the limit is refused by the limit', async () => {
      const checked = await readCustomsFile({ content: Buffer.from(file('x', 'y', 'z')), contentType: 'text/csv' }, { maxRows: 2 });
      expect(checked).toMatchObject({ rows: 2, tooManyRows: { line: 4 } });
    });

    it('lets a file of exactly the limit through', async () => {
      const checked = await readCustomsFile({ content: Buffer.from(fiveRows), contentType: 'text/csv' }, { maxRows: 5 });
      expect(checked).toMatchObject({ rows: 5, tooManyRows: null, problems: [] });
      expect(checked.byYear.get(2019)?.length).toBe(5);
    });

    it('applies to a workbook as to a CSV', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('海关统计');
      sheet.addRow([...CUSTOMS_CSV_HEADER]);
      for (const n of [1, 2, 3]) sheet.addRow([2019, uscc(n), 'a', '1.00', '0.00', '0.00', '1.00', '']);
      const content = Buffer.from(await workbook.xlsx.writeBuffer());
      expect(await readCustomsFile({ content, contentType: XLSX_MEDIA_TYPE }, { maxRows: 2 })).toMatchObject({ rows: 2, tooManyRows: { line: 4 } });
    });

    it('is above the rows `npm run bench:import` imports at once (350,000)', () => {
      expect(MAX_CUSTOMS_ROWS).toBeGreaterThan(350_000);
    });
  });

  describe('encodings', () => {
    const text = file(`2019,${uscc(1)},六安市示例企业,1.00,0.00,0.00,1.00,`);

    it('reads UTF-8 with or without a BOM, to the same rows and the same batch', async () => {
      const plain = await csv(text);
      const bom = await csv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
      expect(bom.problems).toEqual([]);
      expect([...bom.byYear.values()].map((y) => y.toArray())).toEqual([...plain.byYear.values()].map((y) => y.toArray()));
      expect(bom.contentHash).toBe(plain.contentHash);
    });

    it('reads UTF-16 by its byte order mark', async () => {
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const { rows, problems } = await rowsOf(utf16);
      expect(problems).toEqual([]);
      expect(rows[0]).toMatchObject({ name: '六安市示例企业' });
    });

    it('reads GBK (what Excel on a Chinese Windows saves) by its charset and, without one, by detection', async () => {
      for (const contentType of ['text/csv; charset=GBK', 'text/csv; charset=gb18030', 'text/csv']) {
        const { rows, problems } = await rowsOf(GBK_SAMPLE, contentType);
        expect(problems).toEqual([]);
        expect(rows).toHaveLength(20);
        expect(rows[0]).toMatchObject({ line: 2, name: '六安市经开区鑫茂汽配实业有限公司' });
        expect(rows.some((r) => r.name.includes('\uFFFD'))).toBe(false);
      }
      // The same content in either encoding is the same batch.
      expect((await csv(GBK_SAMPLE)).contentHash).toBe((await csv(iconv.decode(GBK_SAMPLE, 'gbk'))).contentHash);
    });

    it('refuses a file that does not decode in the charset sent, naming each line and the encoding tried', async () => {
      const { rows, problems } = await rowsOf(GBK_SAMPLE, 'text/csv; charset=utf-8');
      expect(rows).toEqual([]);
      expect(problems).toHaveLength(20);
      expect(problems[0]).toEqual({ line: 2, field: 'name', reason: expect.stringMatching(/not readable as UTF-8 .*U\+FFFD/) });
    });

    it('refuses a charset it cannot decode (415)', async () => {
      await expect(csv(text, 'text/csv; charset=klingon')).rejects.toMatchObject({ httpStatus: 415 });
    });
  });

  describe('an .xlsx workbook (its first sheet)', () => {
    it('reads number cells as exact decimals, text and rich text as text, Chinese headers, an empty last cell as none', async () => {
      const xlsx = await workbook([
        CHINESE_HEADER,
        [2019, uscc(1), { richText: [{ text: '六安' }, { text: '企业' }] }, 60000.1, 0, 1234567.89, 100],
        [2019, uscc(2), '乙', '2.50', 0, 0, 2.5, 1e6],
      ]);
      const { rows, problems } = await rowsOf(xlsx, XLSX_MEDIA_TYPE);
      expect(problems).toEqual([]);
      expect(rows).toEqual([
        expect.objectContaining({
          line: 2,
          year: 2019,
          name: '六安企业',
          export9610Usd: '60000.10',
          cbecImportUsd: '0.00',
          cbecExportUsd: '1234567.89',
          totalExportUsd: '100.00',
          platformLocalOnlineTradeUsd: null,
        }),
        expect.objectContaining({ line: 3, export9610Usd: '2.50', totalExportUsd: '2.50', platformLocalOnlineTradeUsd: '1000000.00' }),
      ]);
    });

    it('refuses a number with more than two decimals (a float sum too), by its row', async () => {
      const xlsx = await workbook([[...CUSTOMS_CSV_HEADER], [2019, uscc(1), 'a', 0.1 + 0.2, 0, 0, 1.005, null]]);
      const { problems } = await rowsOf(xlsx, XLSX_MEDIA_TYPE);
      expect(problems.map((p) => `${p.line}:${p.field}`)).toEqual(['2:export_9610_usd', '2:total_export_usd']);
      expect(problems[0].reason).toMatch(/0\.30000000000000004/);
    });

    it("reads the first sheet in the workbook's order, whichever part of the file holds it", async () => {
      const book = new ExcelJS.Workbook();
      const movedBack = book.addWorksheet('备注');
      movedBack.addRow(['not', 'customs', 'figures']);
      const first = book.addWorksheet('海关统计');
      first.addRows([[...CUSTOMS_CSV_HEADER], [2019, uscc(1), '甲', 1, 0, 0, 1]]);
      // exceljs writes the sheets in the workbook by `orderNo` (not in its typings).
      Object.assign(movedBack, { orderNo: 1 });
      Object.assign(first, { orderNo: 0 });
      const { rows, problems } = await rowsOf(Buffer.from(await book.xlsx.writeBuffer()), XLSX_MEDIA_TYPE);
      expect(problems).toEqual([]);
      expect(rows).toEqual([expect.objectContaining({ line: 2, name: '甲' })]);
    });

    it('reads a workbook whose parts put the sheets before the workbook part, or whose last part the zip pass never reaches', async () => {
      const book = new ExcelJS.Workbook();
      book.addWorksheet('海关统计').addRows([[...CUSTOMS_CSV_HEADER], [2019, uscc(1), '甲', 1, 0, 0, 1]]);
      const parts = await JSZip.loadAsync(await book.xlsx.writeBuffer());
      // The sheets come once the shared strings and the relationships are known, the workbook part last:
      // exceljs's streaming reader then meets a sheet before it knows the workbook's sheets.
      const order = (path: string): number =>
        path === 'xl/workbook.xml' ? 3 : path.startsWith('xl/worksheets/') ? 2 : path === 'xl/sharedStrings.xml' || path.endsWith('.rels') ? 1 : 0;
      const reordered = new JSZip();
      for (const path of Object.keys(parts.files).sort((a, b) => order(a) - order(b))) {
        if (!parts.files[path].dir) reordered.file(path, await parts.files[path].async('uint8array'));
      }
      const { rows, problems } = await rowsOf(await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), XLSX_MEDIA_TYPE);
      expect(problems).toEqual([]);
      expect(rows).toEqual([expect.objectContaining({ line: 2, name: '甲' })]);
    });

    it('writes a number cell without an exponent', () => {
      expect([1e21, 1.5e-7, 60000.1, 2019, -3].map(cellText)).toEqual(['1000000000000000000000', '0.00000015', '60000.1', '2019', '-3']);
    });

    it('refuses bytes that are not a workbook', async () => {
      expect((await rowsOf(Buffer.from('not a zip'), XLSX_MEDIA_TYPE)).problems).toEqual([
        { line: 1, field: 'file', reason: expect.stringMatching(/not readable as an .xlsx workbook/) },
      ]);
    });
  });
});

describe('ImportCustomsStats', () => {
  let f: WorkflowFixture;
  let handler: ImportCustomsStatsHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new ImportCustomsStatsHandler(new CustomsImports(f.aggregates, f.events));
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
      // The figure limit (AMOUNT_LIMITS.customsFigureUsd) is the decider's rule, not the reader's.
      const aboveTheLimit = file(
        `2017,${uscc(1)},a,1.00,0.00,0.00,1.00,`,
        `2018,${uscc(1)},a,1.00,0.00,0.00,1.00,`,
        `2018,${uscc(2)},b,1000000000000.01,0.00,0.00,1.00,`,
        `2019,${uscc(2)},b,1.00,0.00,0.00,1000000000000.01,`,
      );
      await expect(handler.execute(new ImportCustomsStatsCommand(aboveTheLimit, f.ctx(actors.cusOfficer)))).rejects.toMatchObject({
        httpStatus: 422,
        code: 'invalid-customs-rows',
        errors: [
          { line: 4, field: 'export9610Usd', reason: expect.stringContaining('above the limit') },
          { line: 5, field: 'totalExportUsd', reason: expect.stringContaining('above the limit') },
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

  it('refuses a file that does not decode as undecodable, storing nothing', async () => {
    await expect(handler.execute(new ImportCustomsStatsCommand(GBK_SAMPLE, f.ctx(actors.cusOfficer), 'text/csv; charset=utf-8'))).rejects.toMatchObject({
      httpStatus: 422,
      code: 'undecodable-customs-file',
      errors: expect.arrayContaining([{ line: 21, field: 'name', reason: expect.stringMatching(/UTF-8/) }]),
    });
    expect(await f.events.headPosition()).toBe(0);
  });

  it('imports a GBK file and an .xlsx workbook as it imports UTF-8', async () => {
    expect(await handler.execute(new ImportCustomsStatsCommand(GBK_SAMPLE, f.ctx(actors.cusOfficer), 'text/csv; charset=gbk'))).toMatchObject({
      rows: 20,
      imported: 20,
    });
    const xlsx = await workbook([CHINESE_HEADER, [2021, uscc(1), '甲', 1, 0, 0, 1]]);
    expect(await handler.execute(new ImportCustomsStatsCommand(xlsx, f.ctx(actors.cusOfficer), XLSX_MEDIA_TYPE))).toMatchObject({ rows: 1, imported: 1 });
    const [stored] = await f.events
      .readStream('customs-2021')
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value]);
    expect(stored.data).toMatchObject({ name: '甲', export9610Usd: '1.00' });
  });

  it('answers a started import at once with its progress, which ends with the answer or the problem', async () => {
    const imports = new CustomsImports(f.aggregates, f.events);
    const start = new StartCustomsImportHandler(imports);
    const started = await start.execute(new StartCustomsImportCommand(file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`), f.ctx(actors.cusOfficer)));
    expect(started).toMatchObject({ state: 'checking', rowsStored: 0, answer: null, problem: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(imports.status(started.id)).toMatchObject({ state: 'done', rowsChecked: 1, rowsStored: 1, answer: { imported: 1 }, problem: null });

    const bad = await start.execute(new StartCustomsImportCommand(file(`2019,${uscc(1)},a,-1,0.00,0.00,1.00,`), f.ctx(actors.cusOfficer)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(imports.status(bad.id)).toMatchObject({
      state: 'refused',
      rowsChecked: 1,
      rowsStored: 0,
      problem: { status: 422, code: 'invalid-customs-rows', errors: [{ line: 2, field: 'export_9610_usd' }] },
    });
    await expect(start.execute(new StartCustomsImportCommand(file(), f.ctx(actors.finHead)))).rejects.toMatchObject({ httpStatus: 403 });
  });

  it('reads a file in slices on the event loop, so other work runs and sees its progress meanwhile', async () => {
    const imports = new CustomsImports(f.aggregates, f.events);
    const rows = Array.from({ length: 5000 }, (_, i) => `2019,${uscc(i + 1)},企业${i},1.00,0.00,0.00,1.00,`);
    const { id, done } = imports.start({ content: file(...rows), contentType: 'text/csv' }, f.ctx(actors.cusOfficer));
    const seen: number[] = [];
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      seen.push(imports.status(id)!.rowsChecked);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seen.some((checked) => checked > 0 && checked < 5000)).toBe(true);
    expect(imports.status(id)).toMatchObject({ state: 'done', rowsChecked: 5000, rowsStored: 5000 });
  });

  it('refuses a file past the row limit with a 413 naming the limit, storing nothing', async () => {
    const rows = [1, 2, 3, 4].map((n) => `${2016 + n},${uscc(n)},a,1.00,0.00,0.00,1.00,`);
    const refused = runCustomsImport(
      { content: Buffer.from(file(...rows)), contentType: 'text/csv' },
      f.ctx(actors.cusOfficer),
      f.aggregates,
      { progress: () => undefined },
      { maxRows: 3 },
    );
    await expect(refused).rejects.toMatchObject({
      httpStatus: 413,
      code: 'too-many-customs-rows',
      limit: 3,
      message: expect.stringContaining('MAX_CUSTOMS_ROWS'),
      errors: [{ line: 5, field: 'file' }],
    });
    expect(await f.events.headPosition()).toBe(0);
    // Its problem+json, on this thread or crossing from the import thread, names the limit.
    const error = await refused.catch((e: unknown) => e as Error);
    const problem = { status: 413, code: 'too-many-customs-rows', limit: 3, errors: [{ line: 5, field: 'file' }] };
    expect(toProblem(error)).toMatchObject(problem);
    expect(toProblem(new ImportRefused(serializeRefusal(error)!))).toMatchObject(problem);
  });

  it('is for CUS only', async () => {
    await expect(handler.execute(new ImportCustomsStatsCommand(file(`2019,${uscc(1)},a,1.00,0.00,0.00,1.00,`), f.ctx(actors.finHead)))).rejects.toMatchObject({
      httpStatus: 403,
    });
  });
});
