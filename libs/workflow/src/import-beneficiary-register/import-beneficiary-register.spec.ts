import type { Actor } from '@cbec/event-store';
import { evaluateFacts, getPolicy } from '@cbec/domain';
import { gatherApprovalInputs } from '../approve-award/approval-inputs';
import { CustomsFiguresReader } from '../approve-award/customs-figures.reader';
import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { ImportBeneficiaryRegisterCommand } from './import-beneficiary-register.command';
import { ImportBeneficiaryRegisterHandler } from './import-beneficiary-register.handler';

const HEADER = 'uscc,division,date,documentNo,source\n';
const csv = (...lines: string[]) => Buffer.from(HEADER + lines.join('\n') + '\n');

describe('the beneficiary register import (COM)', () => {
  let f: WorkflowFixture;
  let handler: ImportBeneficiaryRegisterHandler;
  beforeEach(() => {
    f = new WorkflowFixture();
    handler = new ImportBeneficiaryRegisterHandler(f.aggregates);
  });
  const run = (content: Buffer, actor: Actor = actors.comOfficer) => handler.execute(new ImportBeneficiaryRegisterCommand(content, f.ctx(actor)));

  it('given registry extracts, when COM imports them, then each is a RegistrationRecorded on its beneficiary stream with its source', async () => {
    const answer = await run(
      csv(`${uscc(1)},341502,2017-08-15,六市监登〔2017〕458号,六安市市场监督管理局登记档案`, `${uscc(2)},340104,2016-01-04,合市监 2016-1,合肥市市场监督管理局`),
    );
    expect(answer).toMatchObject({ rows: 2, recorded: 2, unchanged: 0 });
    expect((await f.stream(`beneficiary-${uscc(1)}`)).map((e) => [e.type, e.data])).toEqual([
      [
        'RegistrationRecorded',
        {
          uscc: uscc(1),
          division: '341502',
          date: '2017-08-15',
          documentNo: '六市监登〔2017〕458号',
          source: '六安市市场监督管理局登记档案',
          recordedBy: 'com-liu',
          batchId: answer.batchId,
        },
      ],
    ]);
  });

  it('given the same file imported again, then nothing new is stored', async () => {
    const file = csv(`${uscc(1)},341502,2017-08-15,D-1,六安市市场监督管理局`);
    await run(file);
    expect(await run(file)).toMatchObject({ rows: 1, recorded: 0, unchanged: 1 });
    expect(await f.types(`beneficiary-${uscc(1)}`)).toEqual(['RegistrationRecorded']);
  });

  it('given a bad row among good ones, then 422 names every bad row and nothing is stored', async () => {
    const attempt = run(csv(`${uscc(1)},341502,2017-08-15,D-1,六安`, `${uscc(2)},3415,2017-02-30,,六安`, `91341500MA2010017D,341502,2017-01-01,D-3,六安`));
    await expect(attempt).rejects.toMatchObject({
      httpStatus: 422,
      code: 'invalid-register-rows',
      errors: [
        { field: 'line 3.division', reason: expect.stringMatching(/six digits/) },
        { field: 'line 3.date', reason: expect.any(String) },
        { field: 'line 3.documentNo', reason: expect.any(String) },
        { field: 'line 4.uscc', reason: expect.stringMatching(/check character/) },
      ],
    });
    expect(await f.types(`beneficiary-${uscc(1)}`)).toEqual([]);
  });

  it('given an extract the register holds with other data, then it is a bad row, nothing stored', async () => {
    await run(csv(`${uscc(1)},341502,2017-08-15,D-1,六安`));
    await expect(run(csv(`${uscc(2)},341503,2018-01-01,D-2,六安`, `${uscc(1)},341503,2017-08-15,D-1,六安`))).rejects.toMatchObject({
      errors: [{ field: 'line 3.documentNo', reason: expect.stringMatching(/D-1/) }],
    });
    expect(await f.types(`beneficiary-${uscc(2)}`)).toEqual([]);
  });

  it('reads the Chinese headers too', async () => {
    const file = Buffer.from(`\uFEFF统一社会信用代码,行政区划代码,登记日期,文号,来源\n${uscc(1)},341502,2017-08-15,D-1,六安\n`);
    expect(await run(file)).toMatchObject({ recorded: 1 });
  });

  it('is COM’s to import', async () => {
    await expect(run(csv(`${uscc(1)},341502,2017-08-15,D-1,六安`), actors.finOfficer)).rejects.toMatchObject({ httpStatus: 403 });
  });

  describe('the register decides over the USCC prefix when an award is evaluated', () => {
    const theCase = (u: string) => ({
      program: 'P1',
      year: 2019,
      policyVersion: 'LZB-2019-4',
      beneficiary: { uscc: u, kind: 'enterprise' },
      claims: { otherMunicipalTradeAward: false },
    });
    const evaluateNow = async (u: string) => {
      await f.customsImported([
        {
          year: 2019,
          uscc: u,
          name: 'x',
          export9610Usd: '60000.00',
          cbecImportUsd: '0.00',
          cbecExportUsd: '60000.00',
          totalExportUsd: '60000.00',
          platformLocalOnlineTradeUsd: null,
        },
      ]);
      const facts = await gatherApprovalInputs(f.aggregates, new CustomsFiguresReader(f.events), theCase(u));
      return evaluateFacts(facts, getPolicy());
    };

    it('given a Lu’an USCC whose register entry for 2019 is in 合肥, then P1 is refused: not-registered-locally, basis register', async () => {
      await run(csv(`${uscc(1)},340104,2018-06-01,合市监 2018-9,合肥市市场监督管理局`));
      const out = await evaluateNow(uscc(1));
      expect(out.reasons).toEqual(['not-registered-locally']);
      expect(out.locality[0]).toMatchObject({ division: '340104', basis: 'register', confirmed: true });
      expect(out.trace.find((s) => s.code === 'registered-division')!.source).toBe(`register:${uscc(1)} 合市监 2018-9 2018-06-01 (合肥市市场监督管理局)`);
    });

    it('given a move into 六安 dated after the award year, then the award year is judged by the entry before it', async () => {
      await run(csv(`${uscc(1)},340104,2015-01-01,A,合肥`, `${uscc(1)},341502,2020-03-01,B,六安`));
      expect((await evaluateNow(uscc(1))).reasons).toEqual(['not-registered-locally']);
    });

    it('given no entry, then the USCC prefix decides, unconfirmed', async () => {
      const out = await evaluateNow(uscc(1));
      expect(out.eligible).toBe(true);
      expect(out.locality[0]).toMatchObject({ basis: 'uscc-prefix', confirmed: false });
    });
  });
});
