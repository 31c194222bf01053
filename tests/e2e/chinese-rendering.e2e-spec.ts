import { usccCheckCharacter } from '@cbec/domain';
import { csv, E2eApp, startApp } from './support/e2e-app';
import { appropriate, importCsv, readyForDecision } from './support/flows';

/**
 * docs/chinese.md over HTTP: a case's trace, its `display` and the audit explanation are rendered in
 * Chinese by default and in English with `Accept-Language: en`; the contract's codes and decimal strings
 * stay as they are in both.
 */
/** An enterprise registered in 霍山县 (division 341525). */
const GROWER = ((first17: string) => first17 + usccCheckCharacter(first17))('91341525MA0008004');

interface RenderedStep {
  step: string;
  value: string;
  code: string;
  params: Record<string, unknown>;
  clause?: string;
  source?: string;
}

describe('a case in Chinese, and in English when asked', () => {
  let e2e: E2eApp;
  let id: string;
  const view = async (headers: Record<string, string> = {}) => {
    await e2e.caughtUp(await e2e.store.headPosition());
    return e2e.http().get(`/api/v1/applications/${id}`).set(e2e.auth('AUDIT', 'auditor')).set(headers);
  };

  beforeAll(async () => {
    e2e = await startApp({ now: '2020-03-02T02:00:00.000Z' });
    const rows = [`2018,${GROWER},霍山增长企业,0.00,0.00,0.00,1000000.00,`, `2019,${GROWER},霍山增长企业,0.00,0.00,0.00,1100000.00,`];
    expect((await importCsv(e2e, csv(...rows))).status).toBe(201);
    await appropriate(e2e, 2019, '5000000.00');
    id = await readyForDecision(e2e, {
      program: 'P2a',
      year: 2019,
      beneficiary: { uscc: GROWER, kind: 'enterprise', manufacturing: false },
      claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: ['120000.00', '30000.00'] },
    });
    const approved = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
    expect(approved.status).toBe(201);
  });
  afterAll(() => e2e.close());

  it('shows the trace in Chinese by default, each step with its code, clause and source', async () => {
    const res = await view();
    expect(res.status).toBe(200);
    expect(res.headers.vary).toMatch(/Accept-Language/i);
    const trace = res.body.award.trace as RenderedStep[];
    expect(trace.find((s) => s.code === 'percent-of')).toMatchObject({ step: '¥150,000.00 的 70%，不足一分舍去', value: '¥105,000.00', clause: '四（二）' });
    expect(trace.find((s) => s.code === 'cap-applied')).toMatchObject({
      step: '适用封顶（单个企业年度最高10万元（四（二）））：¥105,000.00 减至 ¥100,000.00',
      value: '¥100,000.00',
      params: { cap: 'P2a-annual-cap', amount: 'CNY 105000.00', room: 'CNY 100000.00' },
    });
    const figure = trace.find((s) => s.code === 'customs-figure' && s.params.year === 2019)!;
    expect(figure).toMatchObject({ step: `${GROWER} 2019年出口额（海关统计数据）`, value: 'US$1,100,000.00' });
    expect(figure.source).toMatch(/^customs-event:/);
    expect(trace.every((s) => !/〔未译〕/.test(s.step + s.value))).toBe(true);
  });

  it('renders the same steps in English with Accept-Language: en', async () => {
    const res = await view({ 'Accept-Language': 'en-US,en;q=0.9' });
    const trace = res.body.award.trace as RenderedStep[];
    expect(trace.find((s) => s.code === 'percent-of')).toMatchObject({ step: '70% of ¥150,000.00, rounded down to the fen', value: '¥105,000.00' });
    expect(trace[trace.length - 1]).toMatchObject({ code: 'award', step: 'award (P2a-annual-cap applied)', value: '¥100,000.00' });
    expect(res.body.display).toMatchObject({ locale: 'en', status: 'approved', leadUnit: 'Municipal Finance Bureau', county: 'Huoshan County' });
  });

  it('keeps the contract’s codes and decimal strings, and adds names, ¥ amounts and Beijing times for people', async () => {
    const { body } = await view();
    expect(body).toMatchObject({ program: 'P2a', status: 'approved', leadUnit: 'FIN', award: { amountCny: '100000.00', capApplied: 'P2a-annual-cap' } });
    expect(body.display).toMatchObject({
      locale: 'zh-CN',
      program: '跨境电商平台服务年费和推广运营费补贴',
      status: '已批准',
      leadUnit: '市财政局',
      cooperatingUnits: ['市商务局', '合肥海关驻六安办事处', '人民银行六安市中心支行'],
      county: '霍山县',
      award: { amountCny: '¥100,000.00', computedCny: '¥105,000.00', capApplied: '单个企业年度最高10万元（四（二））' },
    });
    expect(body.display.award.approvedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间$/);
    expect(body.display.opinions.map((o: { verdict: string }) => o.verdict)).toEqual(['同意', '同意', '同意']);
    expect(body.awaiting).toEqual([{ unit: 'FIN', step: 'disbursement', dueDate: null }]);
    expect(body.display.awaiting).toEqual([{ unit: '市财政局', step: '拨付', dueDate: null }]);
  });

  it('names the beneficiary as the customs statistics do, on the case, the inbox and the list, when the application gave no name', async () => {
    expect((await view()).body.beneficiary.name).toBe('霍山增长企业');
    const inbox = await e2e.http().get('/api/v1/inbox').set(e2e.auth('FIN', 'officer'));
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.find((i: { applicationId: string }) => i.applicationId === id)).toMatchObject({
      task: 'disburse',
      beneficiaryName: '霍山增长企业',
    });
    const list = await e2e.http().get(`/api/v1/applications?uscc=${GROWER}`).set(e2e.auth('AUDIT', 'auditor'));
    expect(list.body.items).toEqual([expect.objectContaining({ applicationId: id, beneficiaryName: '霍山增长企业' })]);
  });

  it('explains the award to the auditor in Chinese, or in English when asked', async () => {
    const zh = await e2e.http().get(`/api/v1/audit/applications/${id}/explanation`).set(e2e.auth('AUDIT', 'auditor'));
    expect(zh.status).toBe(200);
    const zhText = (zh.body.awards[0].rendered as string[]).join('\n');
    expect(zhText).toContain('项目: P2a 跨境电商平台服务年费和推广运营费补贴');
    expect(zhText).toContain('奖励金额: ¥100,000.00');
    expect(zhText).toContain('¥150,000.00 的 70%，不足一分舍去 = ¥105,000.00（条款 四（二）；来源 policy LZB-2019-4 p2a.ratePercent, reading rounding）');
    expect(zhText).toMatch(/审批时间: \d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间/);
    const en = await e2e.http().get(`/api/v1/audit/applications/${id}/explanation`).set(e2e.auth('AUDIT', 'auditor')).set('Accept-Language', 'en');
    const enText = (en.body.awards[0].rendered as string[]).join('\n');
    expect(enText).toContain('Award: ¥100,000.00');
    expect(enText).toContain(
      '70% of ¥150,000.00, rounded down to the fen = ¥105,000.00 (clause 四（二）; source policy LZB-2019-4 p2a.ratePercent, reading rounding)',
    );
  });
});
