import { E2eApp, csv, luanUscc, startApp } from './support/e2e-app';
import { appropriate, importCsv, p1Submission, readyForDecision } from './support/flows';

const MOVED_AWAY = luanUscc(3101);
const UNREGISTERED = luanUscc(3102);
const REGISTER_HEADER = 'uscc,division,date,documentNo,source';

/**
 * The beneficiary register over HTTP: COM imports registry extracts, anyone with a department's token
 * reads them per USCC, the inbox flags what the register does not confirm, and the approval refuses an
 * enterprise the register places outside Lu'an although its USCC says 3415.
 */
describe('the beneficiary register over HTTP', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
    const imported = await importCsv(
      e2e,
      csv(`2019,${MOVED_AWAY},企业甲,60000.00,0.00,0.00,60000.00,`, `2019,${UNREGISTERED},企业乙,60000.00,0.00,0.00,60000.00,`),
    );
    expect(imported.status).toBe(201);
    await appropriate(e2e, 2019, '1000000.00');
  });
  afterAll(() => e2e.close());

  const importRegister = (text: string, auth = e2e.auth('COM', 'officer')) =>
    e2e.http().post('/api/v1/beneficiary-register').set(auth).set('Content-Type', 'text/csv; charset=utf-8').send(text);

  it('takes a register file from COM, refuses one with a bad row (nothing stored) and refuses other units', async () => {
    const bad = await importRegister(`${REGISTER_HEADER}\n${MOVED_AWAY},34010,2018-06-01,X,合肥\n`);
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'invalid-register-rows', errors: [{ field: 'line 2.division' }] });
    expect(await e2e.events(`beneficiary-${MOVED_AWAY}`)).toEqual([]);

    const byFin = await importRegister(`${REGISTER_HEADER}\n${MOVED_AWAY},340104,2018-06-01,X,合肥\n`, e2e.auth('FIN', 'officer'));
    expect(byFin.status).toBe(403);

    const ok = await importRegister(`${REGISTER_HEADER}\n${MOVED_AWAY},340104,2018-06-01,合市监 2018-9,合肥市市场监督管理局\n`);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ rows: 1, recorded: 1, unchanged: 0 });

    const read = await e2e.http().get(`/api/v1/beneficiary-register/${MOVED_AWAY}?minPosition=${ok.body.position}`).set(e2e.auth('FIN', 'officer'));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      uscc: MOVED_AWAY,
      current: { division: '340104', date: '2018-06-01', documentNo: '合市监 2018-9', source: '合肥市市场监督管理局', recordedBy: 'com-officer' },
      history: [expect.objectContaining({ documentNo: '合市监 2018-9' })],
    });
  });

  it('flags in the inbox and the case what the register does not confirm, and refuses the approval the register places outside Lu’an', async () => {
    const away = await readyForDecision(e2e, p1Submission(MOVED_AWAY));
    const unregistered = await readyForDecision(e2e, p1Submission(UNREGISTERED));
    const head = e2e.auth('FIN', 'head');

    const position = await e2e.store.headPosition();
    const inbox = await e2e.http().get(`/api/v1/inbox?minPosition=${position}`).set(head);
    const item = (id: string) => inbox.body.items.find((i: { applicationId: string }) => i.applicationId === id);
    expect(item(away)).toMatchObject({ registeredDivision: '340104', localityConfirmed: true });
    expect(item(unregistered)).toMatchObject({ registeredDivision: null, localityConfirmed: false });

    const page = await e2e.http().get(`/api/v1/applications/${unregistered}?minPosition=${position}`).set(head);
    expect(page.body.awardPreview).toMatchObject({
      eligible: true,
      locality: [{ uscc: UNREGISTERED, local: true, basis: 'uscc-prefix', confirmed: false }],
      localityNote: { 'zh-CN': '按统一社会信用代码前缀判断，未经登记信息确认', en: 'by USCC prefix, not confirmed by the register' },
    });

    const refused = await e2e.http().post(`/api/v1/applications/${away}/approval`).set(head).send({});
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'not-eligible', detail: expect.stringContaining('not-registered-locally') });
  });
});
