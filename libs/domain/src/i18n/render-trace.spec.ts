import { evaluate } from '../policy/evaluate';
import { ENTERPRISE, p2aCase } from '../policy/testing/case-json';
import { traceStep } from '../shared/trace';
import { readTraceStep, renderTrace, renderTraceStep, traceLine, traceText } from './render-trace';

describe('a trace step is a code with parameters, its clause and its source', () => {
  const capped = traceStep('cap-applied', { cap: 'P2a-annual-cap', amount: 'CNY 105000.00', room: 'CNY 100000.00' }, undefined, '四（二）');

  it('stores the English words beside the code, as docs/api.md’s trace shape has them', () => {
    expect(capped).toEqual({
      step: 'P2a-annual-cap applied: CNY 105000.00 cut to CNY 100000.00',
      value: 'CNY 100000.00',
      code: 'cap-applied',
      params: { cap: 'P2a-annual-cap', amount: 'CNY 105000.00', room: 'CNY 100000.00' },
      clause: '四（二）',
    });
  });

  it('renders in Chinese by default, money as ¥ and the cap by its name', () => {
    expect(renderTraceStep(capped)).toMatchObject({
      step: '适用封顶（单个企业年度最高10万元（四（二）））：¥105,000.00 减至 ¥100,000.00',
      value: '¥100,000.00',
      code: 'cap-applied',
      clause: '四（二）',
    });
  });

  it('renders in English for people with the same money format', () => {
    expect(renderTraceStep(capped, 'en')).toMatchObject({ step: 'P2a-annual-cap applied: ¥105,000.00 cut to ¥100,000.00', value: '¥100,000.00' });
  });

  it('says yes / no and met / not met in the reader’s language', () => {
    const threshold = traceStep('p1-threshold', { exports: 'USD 49999.99', min: 'USD 50000.00', met: false }, 'policy LZB-2019-4 p1.minExport9610Usd');
    expect(renderTraceStep(threshold)).toMatchObject({ step: '9610出口额 US$49,999.99 ≥ US$50,000.00（5万美元及以上，含本数）', value: '不满足' });
    expect(renderTraceStep(threshold, 'en')).toMatchObject({ step: '9610 exports US$49,999.99 >= US$50,000.00 (5万美元及以上, inclusive)', value: 'not met' });
  });

  it('names the refusal reasons by their labels', () => {
    const refused = traceStep('not-eligible', { reasons: 'growth-below-threshold, no-fees-claimed' });
    expect(renderTraceStep(refused).value).toBe('年出口增长未达10%、未申报平台服务费和推广运营费');
    expect(renderTraceStep(refused, 'en').value).toBe('growth-below-threshold, no-fees-claimed');
  });

  it('prints one line with the clause and the source record', () => {
    const figure = traceStep(
      'customs-figure',
      { figure: 'totalExportUsd', uscc: ENTERPRISE, year: 2019, amount: 'USD 1100000.00', noneRecorded: false },
      'customs-event:6f1c',
      '四（二）',
    );
    expect(traceLine(figure)).toBe(`${ENTERPRISE} 2019年出口额（海关统计数据） = US$1,100,000.00（条款 四（二）；来源 customs-event:6f1c）`);
    expect(traceLine(figure, 'en')).toBe(
      `total exports of ${ENTERPRISE} in 2019 (customs statistics) = US$1,100,000.00 (clause 四（二）; source customs-event:6f1c)`,
    );
  });

  it('marks a code it has no words for, never leaving the step blank', () => {
    const unknown = { step: 'something new', value: 'CNY 1.00', code: 'from-the-future', params: {} };
    expect(renderTraceStep(unknown)).toMatchObject({ step: '〔未译〕from-the-future something new', value: '¥1.00' });
  });
});

describe('a trace stored as text, before steps carried codes', () => {
  /** The data of an AwardApproved event as the log stored it before trace steps had codes. */
  const storedBeforeCodes = {
    applicationId: 'a-0001',
    program: 'P2b',
    year: 2019,
    uscc: ENTERPRISE,
    amountCny: '8000.00',
    computedCny: '8000.00',
    capApplied: null,
    reasonIfLower: null,
    trace: [
      { step: 'cross-border e-commerce trade 2019 (customs)', value: 'USD 900000.00', source: 'customs customs-event-2' },
      { step: 'increment = USD 900000.00 - USD 500000.00', value: 'USD 400000.00' },
      { step: '4 x CNY 2000.00', value: 'CNY 8000.00', source: 'policy LZB-2019-4 p2b.awardPerStepCny' },
    ],
    policyVersion: 'LZB-2019-4',
  };

  it('reads each step as code legacy-text with its text as parameters, the event untouched', () => {
    const before = JSON.stringify(storedBeforeCodes);
    expect(storedBeforeCodes.trace.map(readTraceStep)).toEqual([
      {
        step: 'cross-border e-commerce trade 2019 (customs)',
        value: 'USD 900000.00',
        source: 'customs customs-event-2',
        code: 'legacy-text',
        params: { step: 'cross-border e-commerce trade 2019 (customs)', value: 'USD 900000.00' },
      },
      {
        step: 'increment = USD 900000.00 - USD 500000.00',
        value: 'USD 400000.00',
        code: 'legacy-text',
        params: { step: 'increment = USD 900000.00 - USD 500000.00', value: 'USD 400000.00' },
      },
      {
        step: '4 x CNY 2000.00',
        value: 'CNY 8000.00',
        source: 'policy LZB-2019-4 p2b.awardPerStepCny',
        code: 'legacy-text',
        params: { step: '4 x CNY 2000.00', value: 'CNY 8000.00' },
      },
    ]);
    expect(JSON.stringify(storedBeforeCodes)).toBe(before);
  });

  it('renders as stored, money formatted for people, in either language', () => {
    expect(traceText(storedBeforeCodes.trace)).toEqual([
      '1. cross-border e-commerce trade 2019 (customs) = US$900,000.00（来源 customs customs-event-2）',
      '2. increment = US$900,000.00 - US$500,000.00 = US$400,000.00',
      '3. 4 x ¥2,000.00 = ¥8,000.00（来源 policy LZB-2019-4 p2b.awardPerStepCny）',
    ]);
    expect(renderTrace(storedBeforeCodes.trace, 'en')[2]).toMatchObject({ step: '4 x ¥2,000.00', value: '¥8,000.00', code: 'legacy-text' });
  });

  it('reads the fixed shapes evaluate wrote (amount before caps, award, refusal) as their codes', () => {
    const old = [
      { step: 'computed by the clause, before caps', value: 'CNY 105000.00' },
      { step: 'award (P2a-annual-cap applied)', value: 'CNY 100000.00' },
      { step: 'award', value: 'CNY 8000.00' },
      { step: 'not eligible', value: 'below-threshold' },
    ];
    expect(old.map((s) => readTraceStep(s)).map(({ code, params }) => ({ code, params }))).toEqual([
      { code: 'computed-before-caps', params: { amount: 'CNY 105000.00' } },
      { code: 'award', params: { amount: 'CNY 100000.00', cap: 'P2a-annual-cap' } },
      { code: 'award', params: { amount: 'CNY 8000.00', cap: null } },
      { code: 'not-eligible', params: { reasons: 'below-threshold' } },
    ]);
    expect(renderTrace(old).map((s) => `${s.step} = ${s.value}`)).toEqual([
      '按条款计算的金额（封顶前） = ¥105,000.00',
      '奖励金额（适用封顶：单个企业年度最高10万元（四（二））） = ¥100,000.00',
      '奖励金额 = ¥8,000.00',
      '不予奖励 = 未达到奖励门槛',
    ]);
  });

  it('reads a step that is not even an object without failing', () => {
    expect(readTraceStep('a bare string')).toMatchObject({ code: 'legacy-text', step: '"a bare string"', value: '' });
  });
});

describe('an evaluation’s whole trace, in Chinese', () => {
  it('E4: every step of a capped P2a award has Chinese words, and the clause 四（二）', () => {
    const out = evaluate(p2aCase(['1000000.00', '1100000.00'], ['120000.00', '30000.00']));
    const zh = renderTrace(out.trace);
    expect(zh.every((s) => s.code !== 'legacy-text' && !/〔未译〕/.test(s.step + s.value))).toBe(true);
    expect(zh.filter((s) => s.code !== 'not-eligible').every((s) => s.clause === '四（二）')).toBe(true);
    expect(zh.find((s) => s.code === 'program')!.step).toBe(
      'P2a 跨境电商平台服务年费和推广运营费补贴（四（二））2019年度；牵头单位 市财政局，配合单位 市商务局、合肥海关驻六安办事处、人民银行六安市中心支行',
    );
    expect(zh.find((s) => s.code === 'percent-of')).toMatchObject({ step: '¥150,000.00 的 70%，不足一分舍去', value: '¥105,000.00' });
    expect(zh[zh.length - 1]).toMatchObject({ code: 'award', step: '奖励金额（适用封顶：单个企业年度最高10万元（四（二）））', value: '¥100,000.00' });
    expect(renderTrace(out.trace, 'en')[zh.length - 1]).toMatchObject({ step: 'award (P2a-annual-cap applied)', value: '¥100,000.00' });
  });
});
