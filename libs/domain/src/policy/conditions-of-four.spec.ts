import { renderTrace } from '../i18n/render-trace';
import { evaluate, Evaluation } from './evaluate';
import { LZB_2019_4, Policy, readingValue } from './policy';
import { ENTERPRISE, enterpriseUscc, OUTSIDE, p1Case, p2aCase, p2bCase, p3aCase, p3bCase, p4Case, PLATFORM, row } from './testing/case-json';

/**
 * The conditions of 六政办秘〔2019〕4号 四 that rest on a fact beyond the figures: where the beneficiary is
 * registered, which years of customs statistics were imported, the platform's services and operation, the
 * date of a park's recognition, the years the policy governs, and the readings LZB-2019-4 takes. Each case
 * is given as the case file `evaluate` reads (docs/api.md), then what the policy says of it.
 */

type Json = Record<string, any>;
const clone = (j: unknown): Json => JSON.parse(JSON.stringify(j));
const amount = (e: Evaluation) => (e.eligible ? e.amount.toString() : `refused: ${e.reasons.join(', ')}`);

/** 寿县's code in USCCs issued before 2016, when it left 六安 for 淮南 (340422). */
const SHOUXIAN = enterpriseUscc(31, '341521');

describe('四: every program is for an enterprise registered in Lu’an in the award year', () => {
  it('given an enterprise whose USCC is of 合肥 and no register entry, when it applies for P1, P2a or P2b, then it is refused', () => {
    for (const json of [p1Case('60000.00'), p2aCase(['1000000.00', '1200000.00'], ['1000.00']), p2bCase('100000.00', '200000.00')]) {
      const c = clone(json);
      c.beneficiary.uscc = OUTSIDE;
      c.customs = c.customs.map((r: Json) => ({ ...r, uscc: OUTSIDE }));
      expect(evaluate(c).reasons).toEqual(['not-registered-locally']);
    }
  });

  it('given a provincial park outside Lu’an, when it applies for P4, then nothing is paid (四（四）: 推动我市)', () => {
    const json = clone(p4Case());
    json.beneficiary.registeredDivision = '340100';
    expect(amount(evaluate(json))).toBe('refused: not-registered-locally');
  });

  it('given a 寿县 USCC (341521) with no register entry, when it applies for 2019, then it is not local: 寿县 belongs to 淮南 since 2016', () => {
    const json = clone(p1Case('60000.00'));
    json.beneficiary.uscc = SHOUXIAN;
    json.customs[0].uscc = SHOUXIAN;
    const out = evaluate(json);
    expect(out.reasons).toEqual(['not-registered-locally']);
    expect(out.locality[0]).toEqual({ uscc: SHOUXIAN, division: '340422', local: false, basis: 'uscc-prefix', confirmed: false });
  });

  it('given a platform with a USCC of 合肥 registered in 金安区 since it moved, when it applies for P3a, then the registration decides: awarded', () => {
    const json = clone(p3aCase({ uscc: OUTSIDE }));
    json.beneficiary.registeredDivision = { code: '341502', documentNo: '六市监登〔2018〕12号', date: '2018-05-02' };
    const out = evaluate(json);
    expect(out.eligible).toBe(true);
    expect(out.locality[0]).toMatchObject({ division: '341502', local: true, basis: 'case-file', confirmed: true });
    expect(out.trace.find((s) => s.code === 'registered-division')!.source).toBe('beneficiary.registeredDivision 六市监登〔2018〕12号 2018-05-02');
  });

  it('given an enterprise of 六安 by its USCC that registered in 合肥, when it applies, then it is refused', () => {
    const json = clone(p1Case('60000.00'));
    json.beneficiary.registeredDivision = '340104';
    expect(evaluate(json).reasons).toEqual(['not-registered-locally']);
  });

  it('given no registered division, when judged by the USCC, then the answer and the trace say "by USCC prefix, not confirmed by the register"', () => {
    const out = evaluate(p1Case('60000.00'));
    expect(out.eligible).toBe(true);
    expect(out.locality).toEqual([{ uscc: ENTERPRISE, division: '341500', local: true, basis: 'uscc-prefix', confirmed: false }]);
    const step = out.trace.find((s) => s.code === 'registered-division')!;
    expect(step.step).toContain('by USCC prefix, not confirmed by the register');
    expect(renderTrace([step])[0].step).toContain('按统一社会信用代码前缀判断，未经登记信息确认');
  });

  it('given a P3b recruit registered outside the city, when the platform applies, then that recruit does not count', () => {
    const json = clone(p3bCase(2));
    json.claims.recruits[1] = { uscc: json.claims.recruits[1], registeredDivision: '340100' };
    const out = evaluate(json);
    expect(out.amount.toString()).toBe('10000.00');
    expect(out.trace.find((s) => s.code === 'recruit-not-local')!.params).toMatchObject({ division: '340100' });
    expect(out.locality.map((l) => l.local)).toEqual([true, true, false]);
  });

  it('rejects a registered division that is not a GB/T 2260 code, naming the field', () => {
    const json = clone(p1Case('60000.00'));
    json.beneficiary.registeredDivision = '3415';
    expect(() => evaluate(json)).toThrow(/beneficiary\.registeredDivision: must be a GB\/T 2260 division code/);
  });
});

describe('四（二）: the manufacturer’s route and "zero breakthrough" on imported statistics', () => {
  const manufacturer = (opts: { uses?: boolean; promotes?: boolean } = {}) => {
    const json = clone(p2aCase(['0.00', '5000.00'], ['1000.00'], { promotes: opts.promotes ?? false, uses: opts.uses, manufacturing: true }));
    json.customsYears = [2016, 2017, 2018];
    return json;
  };

  it('given a manufacturer whose exports broke through zero in Y on a third-party platform, when it applies for P2a, then 70% of fees', () => {
    expect(amount(evaluate(manufacturer({ uses: true })))).toBe('700.00');
  });

  it('given the same manufacturer without platform use (利用第三方跨境电子商务平台), then it is refused on that route too', () => {
    expect(evaluate(manufacturer({ uses: false })).reasons).toEqual(['not-promoting-online', 'no-exports-in-previous-year', 'not-using-third-party-platform']);
  });

  it('given a prior year whose statistics were never imported, when the zero breakthrough is judged, then it is unknown, not zero, and the year is named', () => {
    const json = manufacturer({ uses: true });
    json.customsYears = [2016, 2018]; // 2017 never imported
    const out = evaluate(json);
    expect(out.reasons).toContain('customs-year-not-imported');
    expect(out.eligible).toBe(false);
    expect(out.unknownCustomsYears).toEqual([2017]);
    expect(out.trace.find((s) => s.code === 'customs-year-not-imported')!.params.year).toBe(2017);
  });

  it('given no earlier year imported at all, then Y-1 is the unknown year', () => {
    const json = manufacturer({ uses: true });
    json.customs = [row(2019, ENTERPRISE, { totalExportUsd: '5000.00' })];
    json.customsYears = [];
    expect(evaluate(json).unknownCustomsYears).toEqual([2018]);
  });

  it('given P2b with Y-1 never imported, then it is refused as unknown, not as a new enterprise', () => {
    const json = clone(p2bCase(null, '349999.99'));
    json.customsYears = [2019];
    const out = evaluate(json);
    expect(out.reasons).toEqual(['customs-year-not-imported']);
    expect(out.unknownCustomsYears).toEqual([2018]);
  });

  it('given P1 for a year whose statistics were never imported, then it is refused as unknown, not below the threshold', () => {
    const json = clone(p1Case('60000.00'));
    json.customs = [];
    expect(evaluate(json).reasons).toEqual(['customs-year-not-imported']);
  });
});

describe('四（三）P3a: 综合配套服务 declared with evidence, 正常运营', () => {
  it('given a platform that declares four of the five services, then it is refused, naming the missing one in the trace', () => {
    const json = clone(p3aCase());
    json.claims.services = json.claims.services.filter((s: Json) => s.service !== 'tax-refund');
    const out = evaluate(json);
    expect(out.reasons).toEqual(['services-not-declared']);
    expect(out.trace.find((s) => s.code === 'platform-service' && s.params.service === 'tax-refund')!.params.declared).toBe(false);
  });

  it('given a service declared without evidence, then it does not count', () => {
    const json = clone(p3aCase());
    delete json.claims.services[0].evidence;
    expect(evaluate(json).reasons).toEqual(['services-not-declared']);
  });

  it('accepts the services by their Chinese names (通关、物流、融资、退税、结汇)', () => {
    const json = clone(p3aCase());
    json.claims.services = ['通关', '物流', '融资', '退税', '结汇'].map((service) => ({ service, evidence: `协议 ${service}` }));
    expect(evaluate(json).eligible).toBe(true);
  });

  it('reads the services as a map of name to evidence too, and a bare name as a service without evidence', () => {
    const json = clone(p3aCase());
    json.claims.services = { 通关: 'A-1', logistics: 'A-2', 融资: 'A-3', 退税: 'A-4', 结汇: 'A-5' };
    expect(evaluate(json).eligible).toBe(true);
    json.claims.services = ['通关', '物流', '融资', '退税', '结汇'];
    expect(evaluate(json).reasons).toEqual(['services-not-declared']);
  });

  it('given a city whose policy requires only 通关, then a platform declaring only 通关 qualifies (a parameter, not code)', () => {
    const variant: Policy = { ...LZB_2019_4, version: 'TEST-CUSTOMS-ONLY', p3a: { ...LZB_2019_4.p3a, requiredServices: ['customs-clearance'] } };
    const json = clone(p3aCase());
    json.claims.services = [{ service: 'customs-clearance', evidence: '报关协议' }];
    expect(evaluate(json, variant).eligible).toBe(true);
    expect(evaluate(json).reasons).toEqual(['services-not-declared']);
  });

  it('given a suspension declared within the operation up to the end of Y, then it is not operating normally', () => {
    const json = clone(p3aCase());
    json.claims.suspensions = [{ from: '2019-03-01', to: '2019-05-31', note: '整改' }];
    expect(evaluate(json).reasons).toEqual(['not-operating-normally']);
  });

  it('given a suspension that ended before the operating start, then it does not matter', () => {
    const json = clone(p3aCase({ operatingSince: '2017-03-01' }));
    json.claims.suspensions = [{ from: '2016-01-01', to: '2016-12-31' }];
    expect(evaluate(json).eligible).toBe(true);
  });
});

describe('四（四）P4: recognised no later than the end of the award year', () => {
  it.each([
    ['2019-12-31', '500000.00'],
    ['2020-01-01', 'refused: recognised-after-award-year'],
  ])('recognition dated %s, award year 2019 -> %s', (date, expected) => {
    const json = clone(p4Case());
    json.claims.provincialRecognition.date = date;
    expect(amount(evaluate(json))).toBe(expected);
  });
});

describe('what the submission refuses, evaluate refuses (one validation)', () => {
  it('given an award year before LZB-2019-4 governs (2019), then policy-not-in-force, nothing computed', () => {
    const json = clone(p1Case('60000.00'));
    json.year = 2018;
    json.customs[0].year = 2018;
    const out = evaluate(json);
    expect(out.reasons).toEqual(['policy-not-in-force']);
    expect(out.computed.toString()).toBe('0.00');
  });

  it('given P4 for an enterprise, then wrong-beneficiary-kind', () => {
    const json = clone(p4Case());
    json.beneficiary.kind = 'enterprise';
    expect(evaluate(json).reasons).toEqual(['wrong-beneficiary-kind']);
  });

  it('given the clock, an award year not over in Beijing time is refused award-year-not-over', () => {
    const json = p1Case('60000.00');
    expect(evaluate(json, undefined, { now: new Date('2019-12-31T15:59:59Z') }).reasons).toEqual(['award-year-not-over']);
    expect(evaluate(json, undefined, { now: new Date('2019-12-31T16:00:00Z') }).eligible).toBe(true);
  });
});

describe('readings as data: a city that reads a clause differently ships a policy version, not code', () => {
  it('names, for each reading, a parameter the policy has, whose value is one the reading allows', () => {
    for (const reading of LZB_2019_4.readings) {
      const value = readingValue(LZB_2019_4, reading);
      expect(value).toBeDefined();
      const key = Array.isArray(value) ? value.join(',') : String(value);
      expect(Object.keys(reading.options)).toContain(key);
    }
  });

  it('P2a ¥100,000 per enterprise for the policy’s life: an earlier year’s award counts', () => {
    const life: Policy = { ...LZB_2019_4, version: 'TEST-P2A-LIFE', p2a: { ...LZB_2019_4.p2a, capScope: 'policy-life' } };
    const json = p2aCase(['1000000.00', '1200000.00'], ['100000.00'], { history: [{ program: 'P2a', year: 2019, amountCny: '60000.00' }] });
    (json as Json).year = 2020;
    (json as Json).customs = [row(2019, ENTERPRISE, { totalExportUsd: '1000000.00' }), row(2020, ENTERPRISE, { totalExportUsd: '1200000.00' })];
    expect(amount(evaluate(json, life))).toBe('40000.00');
    expect(amount(evaluate(json))).toBe('70000.00');
  });

  it('P2b 新企业 as first trade in Y-1 or Y: trade first recorded in Y-1 has no recognised increment', () => {
    const firstTrade: Policy = { ...LZB_2019_4, version: 'TEST-P2B-NEW', p2b: { ...LZB_2019_4.p2b, newEnterprise: 'first-trade-in-previous-or-award-year' } };
    const json = clone(p2bCase('100000.00', '400000.00'));
    json.customsYears = [2017, 2018, 2019];
    expect(amount(evaluate(json))).toBe('12000.00');
    const out = evaluate(json, firstTrade);
    expect(out.reasons).toEqual(['new-enterprise']);
    expect(out.trace.find((s) => s.code === 'new-enterprise')!.source).toBe('policy TEST-P2B-NEW reading p2b.new-enterprise');
  });

  it('P3a 补助期3年 as three award years: a gap year does not end the period', () => {
    const years: Policy = { ...LZB_2019_4, version: 'TEST-P3A-YEARS', p3a: { ...LZB_2019_4.p3a, periodCounting: 'award-years' } };
    const history = [2016, 2018].map((year) => ({ program: 'P3a', year, amountCny: '1000.00' }));
    expect(evaluate(p3aCase({ year: 2020, history })).reasons).toEqual(['period-over']);
    expect(evaluate(p3aCase({ year: 2020, history }), years).eligible).toBe(true);
    expect(evaluate(p3aCase({ year: 2021, history: [...history, { program: 'P3a', year: 2020, amountCny: '1.00' }] }), years).reasons).toEqual(['period-over']);
  });

  it('P3b 零突破 of all trade: a recruit that exported before, outside cross-border e-commerce, does not count', () => {
    const allTrade: Policy = { ...LZB_2019_4, version: 'TEST-P3B-ALL', p3b: { ...LZB_2019_4.p3b, zeroBreakthroughTrade: 'all-trade' } };
    const json = clone(p3bCase(1));
    Object.assign(json.customs[0], { totalExportUsd: '800.00', export9610Usd: '0.00' });
    Object.assign(json.customs[1], { totalExportUsd: '900.00', export9610Usd: '0.00' });
    expect(amount(evaluate(json))).toBe('10000.00');
    expect(amount(evaluate(json, allTrade))).toBe('refused: no-qualifying-recruits');
  });

  it('rounding to the fen half up: 70% of ¥0.03 is ¥0.02 (down: ¥0.02 too), of ¥0.05 is ¥0.04 (down: ¥0.03)', () => {
    const halfUp: Policy = { ...LZB_2019_4, version: 'TEST-HALF-UP', rounding: 'half-up' };
    const fees = (cny: string) => p2aCase(['1000000.00', '1100000.00'], [cny]);
    expect(amount(evaluate(fees('0.05'), halfUp))).toBe('0.04');
    expect(amount(evaluate(fees('0.05')))).toBe('0.03');
    const step = evaluate(fees('0.05'), halfUp).trace.find((s) => s.code === 'percent-of')!;
    expect(step.source).toBe('policy TEST-HALF-UP p2a.ratePercent, reading rounding');
  });

  it('P1 一次性 is cited from the reading in the policy and the default is once ever', () => {
    expect(LZB_2019_4.readings.find((r) => r.id === 'p1.once')!.parameter).toBe('p1.oncePer');
    expect(LZB_2019_4.p1.oncePer).toBe('beneficiary');
  });
});

describe('the platform itself', () => {
  it('given a platform registered elsewhere by the register, P3b is refused too', () => {
    const json = clone(p3bCase(2));
    json.beneficiary.registeredDivision = '340100';
    expect(evaluate(json).reasons).toEqual(['not-registered-locally']);
    expect(json.beneficiary.uscc).toBe(PLATFORM);
  });
});
