import type { Reading } from './policy';

/**
 * The readings LZB-2019-4 takes where the words of 六政办秘〔2019〕4号 allow more than one. Each names the
 * parameter the rules read; a city that reads a clause differently ships a new policy version with the other
 * value (and its own reason), not new code. `npm run --silent cli -- policy show` prints them.
 */
export const LZB_2019_4_READINGS: Reading[] = [
  {
    id: 'locality',
    clause: '四',
    words: '推动我市跨境电子商务加快发展；在我市注册；我市企业',
    parameter: 'localDivisionPrefix',
    options: { '3415': '受益主体（P3b 含每个新招引企业，P4 为园区）于申报年度在六安市（行政区划代码 3415）登记注册' },
    reason: {
      'zh-CN':
        '专项资金是市级资金，用于推动我市跨境电子商务发展，故各项支持政策均要求受益主体在本市登记注册。登记地以市场监管部门登记信息（受益主体登记册）为准；登记册无记录时按统一社会信用代码第3至8位判断，并注明“按统一社会信用代码前缀判断，未经登记信息确认”；已划出本市的行政区划（如寿县）不视为本市。',
      en: "The fund is the city's (推动我市跨境电子商务), so every program requires the beneficiary registered in Lu'an. The beneficiary register (market-regulation registry extract) decides; without an entry the USCC's division digits are read and the answer says so; a division that left the city (寿县) is not local.",
    },
  },
  {
    id: 'p1.once',
    clause: '四（一）',
    words: '由市财政一次性奖励5万元人民币',
    parameter: 'p1.oncePer',
    options: { beneficiary: '每个企业终身一次', 'beneficiary-year': '每个企业每个年度一次' },
    reason: {
      'zh-CN': '“一次性奖励”奖励的是达到出口5万美元这一门槛，达到即奖励一次；按年度计将对同一门槛逐年重复奖励。',
      en: 'A one-time reward for reaching a threshold: once reached, rewarded once; once per year would reward the same threshold every year.',
    },
  },
  {
    id: 'p2a.cap',
    clause: '四（二）',
    words: '单个企业最高不超过10万元',
    parameter: 'p2a.capScope',
    options: { 'award-year': '每个企业每个年度最高10万元', 'policy-life': '每个企业在本政策有效期内累计最高10万元' },
    reason: {
      'zh-CN': '该补贴按企业当年支付的平台服务年费和推广运营费计算，是年度补贴；同条“同一企业此条政策年最高补助20万元”亦按年度计。',
      en: "The subsidy is 70% of the fees paid for the year, an annual subsidy; the same clause's article cap (年最高补助20万元) is annual too.",
    },
  },
  {
    id: 'p2b.new-enterprise',
    clause: '四（二）',
    words: '不包括新企业进出口总量',
    parameter: 'p2b.newEnterprise',
    options: {
      'no-trade-in-previous-year': '上一年度无跨境电商进出口的企业为新企业，其进出口总量不计入增量',
      'first-trade-in-previous-or-award-year': '首次有跨境电商进出口的年度为上一年度或申报年度的企业为新企业',
    },
    reason: {
      'zh-CN':
        '增量以上一年度为基数；上一年度无进出口，则申报年度的全部进出口都是“新企业进出口总量”，无可认定的增量。上一年度已有进出口的企业可与上年比较认定增量。',
      en: "The increment is counted from the previous year: with no trade in Y-1 all of Y's trade is a new enterprise's total; with trade in Y-1 an increment can be recognised.",
    },
  },
  {
    id: 'p3a.services',
    clause: '四（三）',
    words: '为企业提供通关、物流、融资、退税、结汇等综合配套服务',
    parameter: 'p3a.requiredServices',
    options: {
      'customs-clearance,logistics,financing,tax-refund,fx-settlement': '所列五项服务（通关、物流、融资、退税、结汇）均须申报并附证明材料',
      '(a subset)': '新版本政策列出须提供的部分服务',
    },
    reason: {
      'zh-CN': '“综合配套服务”列举的五项是综合服务平台的定义；“等”表示还可有其他服务，不表示可缺少所列服务。',
      en: 'The five services named define a comprehensive service platform; 等 admits more services, not fewer.',
    },
  },
  {
    id: 'p3a.period',
    clause: '四（三）',
    words: '补助期3年',
    parameter: 'p3a.periodCounting',
    options: { 'consecutive-from-first-award': '自首个获补年度起连续3个年度', 'award-years': '任意3个获补年度（可不连续）' },
    reason: {
      'zh-CN': '补助期是一个期间，自首次获得补助的年度起算；期间内某年未申报或未获补助不延长该期间。',
      en: 'A subsidy period is a span of time counted from the first year awarded; a year without an award does not extend it.',
    },
  },
  {
    id: 'p3b.zero-breakthrough',
    clause: '四（三）',
    words: '新招引1家我市企业在平台上开展跨境电子商务且实现本地进出口额（海关统计数据）零突破',
    parameter: 'p3b.zeroBreakthroughTrade',
    options: {
      'cross-border-e-commerce': '此前各年度无跨境电商进出口，申报年度有',
      'all-trade': '此前各年度海关统计所载进出口均为零，申报年度有',
    },
    reason: {
      'zh-CN': '该句奖励的是招引企业“在平台上开展跨境电子商务”，零突破指其跨境电商本地进出口额。',
      en: 'The sentence rewards bringing an enterprise to do cross-border e-commerce on the platform: the zero breakthrough is of its cross-border e-commerce trade.',
    },
  },
  {
    id: 'p4.once',
    clause: '四（四）',
    words: '由市财政一次性给予50万元支持',
    parameter: 'p4.oncePer',
    options: { beneficiary: '每个园区终身一次', 'beneficiary-year': '每个园区每个年度一次' },
    reason: {
      'zh-CN': '支持针对的是园区获得省级认定这一事项，认定一次，支持一次。',
      en: 'The grant is for the provincial recognition, which happens once.',
    },
  },
  {
    id: 'rounding',
    clause: '四',
    words: '给予70%补贴；按其平台软硬件当年实际投资40%给予补助',
    parameter: 'rounding',
    options: { down: '按比例计算的金额舍去分以下部分', 'half-up': '按比例计算的金额四舍五入到分' },
    reason: {
      'zh-CN': '各款均为比例补助且设“最高不超过”，舍去分以下部分保证专项资金不多于条款所允许的金额。',
      en: 'Each percentage is a ceiling (最高不超过): rounding down keeps the fund from paying more than the clause allows.',
    },
  },
];
