import { describePolicy, PARAMETER_ZH, policyParameters } from './describe-policy';
import { LZB_2019_4 } from './policy';

describe('policy show: every parameter and reading of a version, in Chinese', () => {
  const shown = describePolicy(LZB_2019_4);

  it('names every parameter of the policy in Chinese (a new parameter without a name fails here)', () => {
    const unnamed = policyParameters(LZB_2019_4).filter(({ key }) => !Object.hasOwn(PARAMETER_ZH, key));
    expect(unnamed).toEqual([]);
    expect(shown.参数.length).toBe(policyParameters(LZB_2019_4).length);
  });

  it('prints thresholds as money and units by their Chinese names', () => {
    expect(shown.参数).toContainEqual({ 参数: 'p1.minExport9610Usd', 含义: 'P1 跨境电商出口奖励：9610项下年度出口额门槛', 值: 'US$50,000.00' });
    expect(shown.参数).toContainEqual(expect.objectContaining({ 参数: 'programs.P4.leadUnit', 值: 'FIN 市财政局' }));
    expect(shown.参数).toContainEqual(
      expect.objectContaining({ 参数: 'p3a.requiredServices', 值: expect.stringMatching(/^通关、物流、融资、退税、结汇（所列五项服务/) }),
    );
    expect(shown.参数).toContainEqual(expect.objectContaining({ 参数: 'inForce.fromYear', 值: '2019' }));
  });

  it('prints each reading with its clause, the words, the value taken and the reason', () => {
    const period = shown.解读.find((r) => r.编号 === 'p3a.period')!;
    expect(period).toMatchObject({ 条款: '四（三）', 原文: '补助期3年', 参数: 'p3a.periodCounting', 所取解读: '自首个获补年度起连续3个年度' });
    expect(period.理由).toMatch(/自首次获得补助的年度起算/);
    for (const r of shown.解读) expect(r.理由.length).toBeGreaterThan(10);
    expect(shown.解读.map((r) => r.编号)).toEqual(
      expect.arrayContaining(['p1.once', 'p2a.cap', 'p2b.new-enterprise', 'p3a.period', 'p3b.zero-breakthrough', 'rounding', 'p3a.services', 'locality']),
    );
  });
});
