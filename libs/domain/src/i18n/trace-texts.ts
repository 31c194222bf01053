import { hasLabel, label, UNCONFIRMED_LOCALITY_NOTE, untranslated } from './catalogue';
import type { Locale } from './locale';

/**
 * The words of each trace step code, in each locale. A step stores its code and parameters
 * (libs/domain/src/shared/trace.ts); these turn them into a `step` (what was checked or computed) and a
 * `value` (its result). Money parameters arrive already formatted by the caller (`CNY 4000.00` as stored,
 * `¥4,000.00` for people), so the templates only place them.
 */
export type TraceParam = string | number | boolean | null;
export type TraceParams = Readonly<Record<string, TraceParam>>;

export interface TraceWords {
  step: string;
  value: string;
}

/** `s(key)`: the parameter as text (money formatted for the reader); `p`: the raw parameters. */
type Template = (s: (key: string) => string, p: TraceParams, locale: Locale) => TraceWords;

const yesNo = (b: TraceParam, locale: Locale): string => (locale === 'en' ? (b ? 'yes' : 'no') : b ? '是' : '否');
const metText = (b: TraceParam, locale: Locale): string => (locale === 'en' ? (b ? 'met' : 'not met') : b ? '满足' : '不满足');

/** The customs figures of CustomsFigure (libs/domain/src/policy/case-facts.ts) and the sums rules name. */
const FIGURES: Record<string, { 'zh-CN': string; en: string }> = {
  export9610Usd: { 'zh-CN': '9610出口额', en: '9610 exports' },
  cbecImportUsd: { 'zh-CN': '跨境电商进口额', en: 'cross-border e-commerce imports' },
  cbecExportUsd: { 'zh-CN': '跨境电商出口额', en: 'cross-border e-commerce exports' },
  totalExportUsd: { 'zh-CN': '出口额', en: 'total exports' },
  platformLocalOnlineTradeUsd: { 'zh-CN': '平台本地线上进出口交易额', en: 'local online imports + exports through the platform' },
  'total exports': { 'zh-CN': '出口额', en: 'total exports' },
  'cross-border e-commerce trade': { 'zh-CN': '跨境电商进出口额', en: 'cross-border e-commerce trade' },
  'local cross-border e-commerce trade': { 'zh-CN': '本地跨境电商进出口额', en: 'local cross-border e-commerce trade' },
};

export const FIGURE_CODES: readonly string[] = Object.keys(FIGURES);

function figure(code: TraceParam, locale: Locale): string {
  const text = String(code);
  return Object.hasOwn(FIGURES, text) ? FIGURES[text][locale] : untranslated(text, locale);
}

const list = (text: string, kind: 'reason' | 'unit', locale: Locale): string =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => (locale === 'en' ? t : label(kind, t, locale)))
    .join(locale === 'en' ? ', ' : '、');

const w = (step: string, value: string): TraceWords => ({ step, value });

/** A division code with its name where the catalogue has one (a division outside the city may have none). */
const division = (code: string, locale: Locale): string => (hasLabel('division', code) ? `${code} ${label('division', code, locale)}` : code);

const BASIS: Record<string, { 'zh-CN': string; en: string }> = {
  register: { 'zh-CN': '据受益主体登记册', en: 'by the beneficiary register' },
  'case-file': { 'zh-CN': '据申报材料所载登记信息', en: 'as the case file states the registration' },
  'uscc-prefix': UNCONFIRMED_LOCALITY_NOTE,
};

const KINDS_ZH: Record<string, string> = { enterprise: '企业', platform: '平台', park: '园区' };

const SERVICES_ZH: Record<string, string> = {
  'customs-clearance': '通关',
  logistics: '物流',
  financing: '融资',
  'tax-refund': '退税',
  'fx-settlement': '结汇',
};

/**
 * Per code: [English, Chinese]. The English words are also stored with each step (its `step` and
 * `value`), for readers of the log and docs/api.md's trace that know no codes.
 */
export const TRACE_TEXTS: Readonly<Record<string, { en: Template; 'zh-CN': Template }>> = {
  program: {
    en: (s) => w(`${s('program')} ${s('name')} (${s('article')}) for ${s('year')}; lead unit ${s('leadUnit')}, cooperating ${s('cooperating')}`, s('uscc')),
    'zh-CN': (s, p, loc) =>
      w(
        `${s('program')} ${label('program', s('program'), loc)}（${s('article')}）${s('year')}年度；牵头单位 ${label('unit', s('leadUnit'), loc)}，配合单位 ${list(s('cooperating'), 'unit', loc)}`,
        s('uscc'),
      ),
  },
  'not-eligible': {
    en: (s) => w('not eligible', s('reasons')),
    'zh-CN': (s, p, loc) => w('不予奖励', list(s('reasons'), 'reason', loc)),
  },
  'computed-before-caps': {
    en: (s) => w('computed by the clause, before caps', s('amount')),
    'zh-CN': (s) => w('按条款计算的金额（封顶前）', s('amount')),
  },
  award: {
    en: (s, p) => w(`award${p.cap ? ` (${s('cap')} applied)` : ''}`, s('amount')),
    'zh-CN': (s, p, loc) => w(`奖励金额${p.cap ? `（适用封顶：${label('cap', s('cap'), loc)}）` : ''}`, s('amount')),
  },
  'customs-figure-missing': {
    en: (s, p, loc) => w(`${figure(p.figure, loc)} of ${s('uscc')} in ${s('year')}: no customs record, none recorded`, s('amount')),
    'zh-CN': (s, p, loc) => w(`${s('uscc')} ${s('year')}年${figure(p.figure, loc)}：无海关统计记录，按无计`, s('amount')),
  },
  'customs-figure': {
    en: (s, p, loc) =>
      w(`${figure(p.figure, loc)} of ${s('uscc')} in ${s('year')} (customs statistics)${p.noneRecorded ? ', none recorded' : ''}`, s('amount')),
    'zh-CN': (s, p, loc) => w(`${s('uscc')} ${s('year')}年${figure(p.figure, loc)}（海关统计数据）${p.noneRecorded ? '，未记录' : ''}`, s('amount')),
  },
  'customs-figure-claim-differs': {
    en: (s, p, loc) =>
      w(
        `${figure(p.figure, loc)} of ${s('uscc')} in ${s('year')}: the claim states a different figure; the customs statistics are used`,
        `claimed ${s('claimed')}, customs ${s('customs')}`,
      ),
    'zh-CN': (s, p, loc) =>
      w(`${s('uscc')} ${s('year')}年${figure(p.figure, loc)}：申报数与海关统计数据不一致，以海关统计数据为准`, `申报 ${s('claimed')}，海关 ${s('customs')}`),
  },
  'customs-sum': {
    en: (s, p, loc) =>
      w(
        `${figure(p.measure, loc)} of ${s('uscc')} in ${s('year')} = ${s('figures')
          .split(',')
          .map((f) => figure(f, loc))
          .join(' + ')}`,
        s('amount'),
      ),
    'zh-CN': (s, p, loc) =>
      w(
        `${s('uscc')} ${s('year')}年${figure(p.measure, loc)} = ${s('figures')
          .split(',')
          .map((f) => figure(f, loc))
          .join(' + ')}`,
        s('amount'),
      ),
  },
  'customs-none-before': {
    en: (s, p, loc) =>
      w(
        `${figure(p.measure, loc)} of ${s('uscc')} before ${s('year')}: no customs record${p.years ? ` in the imported years ${s('years')}` : ''}`,
        s('amount'),
      ),
    'zh-CN': (s, p, loc) =>
      w(`${s('uscc')} ${s('year')}年以前${figure(p.measure, loc)}：${p.years ? `已导入的${s('years')}年度` : ''}无海关统计记录`, s('amount')),
  },
  'zero-breakthrough': {
    en: (s, p, loc) =>
      w(
        `zero breakthrough of ${figure(p.measure, loc)} of ${s('uscc')} in ${s('year')}: none before (${s('before')}) and > 0 in ${s('year')} (${s('inYear')})`,
        yesNo(p.ok, loc),
      ),
    'zh-CN': (s, p, loc) =>
      w(`${s('uscc')} ${s('year')}年${figure(p.measure, loc)}零的突破：此前为零（${s('before')}）且当年大于零（${s('inYear')}）`, yesNo(p.ok, loc)),
  },
  'once-already-awarded': {
    en: (s, p) =>
      w(
        `one-time rule: ${s('program')} at most once per ${p.oncePer === 'beneficiary' ? 'beneficiary, ever' : 'beneficiary per year'}; already awarded for ${s('awardYear')}`,
        s('amount'),
      ),
    'zh-CN': (s, p) =>
      w(
        `一次性规定：${s('program')}${p.oncePer === 'beneficiary' ? '每个主体仅可享受一次' : '每个主体每年仅可享受一次'}；已获${s('awardYear')}年度奖励`,
        s('amount'),
      ),
  },
  'once-none-earlier': {
    en: (s, p) => w(`one-time rule: no earlier ${s('program')} award${p.oncePer === 'beneficiary-year' ? ` for ${s('year')}` : ''}`, 'none'),
    'zh-CN': (s, p) => w(`一次性规定：此前未获${p.oncePer === 'beneficiary-year' ? `${s('year')}年度` : ''}${s('program')}奖励`, '无'),
  },
  'subsidy-period': {
    en: (s) => w(`subsidy period: ${s('periodYears')} consecutive years from the first year awarded`, `${s('first')}–${s('last')}`),
    'zh-CN': (s) => w(`补助期：自首个获补年度起连续${s('periodYears')}年`, `${s('first')}–${s('last')}年`),
  },
  'cap-already-awarded': {
    en: (s) => w(`${s('cap')}: already awarded ${s('program')} for ${s('year')}`, s('amount')),
    'zh-CN': (s, p, loc) => w(`${label('cap', s('cap'), loc)}：已获${s('year')}年度${s('program')}奖励`, s('amount')),
  },
  'cap-room': {
    en: (s) => w(`${s('cap')}: ${s('capAmount')} - ${s('already')} already awarded = room`, s('room')),
    'zh-CN': (s, p, loc) => w(`${label('cap', s('cap'), loc)}：${s('capAmount')} - 已获 ${s('already')} = 剩余额度`, s('room')),
  },
  'cap-applied': {
    en: (s) => w(`${s('cap')} applied: ${s('amount')} cut to ${s('room')}`, s('room')),
    'zh-CN': (s, p, loc) => w(`适用封顶（${label('cap', s('cap'), loc)}）：${s('amount')} 减至 ${s('room')}`, s('room')),
  },
  'p1-threshold': {
    en: (s, p, loc) => w(`9610 exports ${s('exports')} >= ${s('min')} (5万美元及以上, inclusive)`, metText(p.met, loc)),
    'zh-CN': (s, p, loc) => w(`9610出口额 ${s('exports')} ≥ ${s('min')}（5万美元及以上，含本数）`, metText(p.met, loc)),
  },
  'declares-municipal-award': {
    en: (s, p, loc) => w(`applicant declares a municipal foreign-trade award for ${s('year')}`, yesNo(p.declared, loc)),
    'zh-CN': (s, p, loc) => w(`申报主体声明已享受${s('year')}年度市级外贸政策奖励`, yesNo(p.declared, loc)),
  },
  'municipal-award-recorded': {
    en: (s, p) => w(`municipal foreign-trade award recorded for ${s('year')}`, p.ref === null ? 'recorded' : s('ref')),
    'zh-CN': (s, p) => w(`已登记${s('year')}年度市级外贸政策奖励`, p.ref === null ? '已登记' : s('ref')),
  },
  'waives-municipal-award': {
    en: (s, p, loc) => w('the application waives the other municipal award', yesNo(p.waived, loc)),
    'zh-CN': (s, p, loc) => w('申报放弃另一项市级奖励（不重复享受）', yesNo(p.waived, loc)),
  },
  'p1-one-time-reward': {
    en: (s) => w('one-time reward (一次性奖励)', s('amount')),
    'zh-CN': (s) => w('一次性奖励', s('amount')),
  },
  'promotes-online': {
    en: (s, p, loc) => w('promotes online on a third-party cross-border e-commerce platform', yesNo(p.promotes, loc)),
    'zh-CN': (s, p, loc) => w('利用第三方跨境电子商务平台开展线上推广', yesNo(p.promotes, loc)),
  },
  'growth-needs-previous-exports': {
    en: (s) => w(`growth from ${s('previousYear')} needs exports in ${s('previousYear')} > 0`, 'none recorded'),
    'zh-CN': (s) => w(`计算自${s('previousYear')}年的增长需${s('previousYear')}年出口额大于零`, '无记录'),
  },
  'export-growth': {
    en: (s, p, loc) =>
      w(
        `export growth ${s('previousYear')} -> ${s('year')}: (${s('now')} - ${s('before')}) / ${s('before')} = ${s('percent')} >= ${s('minPercent')}% (以上, inclusive)`,
        metText(p.met, loc),
      ),
    'zh-CN': (s, p, loc) =>
      w(
        `${s('previousYear')}→${s('year')}年出口增长：(${s('now')} - ${s('before')}) / ${s('before')} = ${s('percent')} ≥ ${s('minPercent')}%（以上，含本数）`,
        metText(p.met, loc),
      ),
  },
  manufacturing: {
    en: (s, p, loc) => w('manufacturing enterprise (制造业企业)', yesNo(p.manufacturing, loc)),
    'zh-CN': (s, p, loc) => w('制造业企业', yesNo(p.manufacturing, loc)),
  },
  'platform-fee': {
    en: (s, p) => w(`platform service / promotion fee${p.invoiceRef ? ` (invoice ${s('invoiceRef')})` : ''}`, s('amount')),
    'zh-CN': (s, p) => w(`平台服务年费 / 推广运营费${p.invoiceRef ? `（发票 ${s('invoiceRef')}）` : ''}`, s('amount')),
  },
  'fees-paid': {
    en: (s) => w(`fees paid for ${s('year')}`, s('amount')),
    'zh-CN': (s) => w(`${s('year')}年度支付的费用合计`, s('amount')),
  },
  'percent-of': {
    en: (s, p) => w(`${s('rate')}% of ${s('base')}, ${p.rounding === 'half-up' ? 'rounded half up' : 'rounded down'} to the fen`, s('amount')),
    'zh-CN': (s, p) => w(`${s('base')} 的 ${s('rate')}%，${p.rounding === 'half-up' ? '四舍五入到分' : '不足一分舍去'}`, s('amount')),
  },
  'new-enterprise': {
    en: (s, p) =>
      w(
        p.reading === 'first-trade-in-previous-or-award-year'
          ? `cross-border e-commerce trade first recorded in ${s('previousYear')}: a new enterprise has no recognised increment`
          : `no cross-border e-commerce trade recorded for ${s('previousYear')}: a new enterprise has no recognised increment`,
        s('amount'),
      ),
    'zh-CN': (s, p) =>
      w(
        p.reading === 'first-trade-in-previous-or-award-year'
          ? `${s('previousYear')}年首次有跨境电商进出口：新企业进出口总量不计入增量`
          : `${s('previousYear')}年无跨境电商进出口记录：新企业进出口总量不计入增量`,
        s('amount'),
      ),
  },
  'registered-division': {
    en: (s, p, loc) =>
      w(
        `${s('uscc')} registered in ${s('year')} in division ${division(s('division'), loc)}${p.transferredFrom ? ` (its code ${s('transferredFrom')} left the city)` : ''}, ${BASIS[s('basis')]?.en ?? s('basis')}; in the city (${s('prefix')})`,
        yesNo(p.local, loc),
      ),
    'zh-CN': (s, p, loc) =>
      w(
        `${s('uscc')} ${s('year')}年登记地 ${division(s('division'), loc)}${p.transferredFrom ? `（原代码 ${s('transferredFrom')} 已划出本市）` : ''}，${BASIS[s('basis')]?.['zh-CN'] ?? s('basis')}；在我市（${s('prefix')}）注册`,
        yesNo(p.local, loc),
      ),
  },
  'customs-year-not-imported': {
    en: (s) => w(`customs statistics of ${s('year')} were never imported: unknown, not zero`, 'unknown'),
    'zh-CN': (s) => w(`${s('year')}年海关统计数据未导入：情况不明，不按零计`, '不明'),
  },
  'uses-third-party-platform': {
    en: (s, p, loc) => w('uses a third-party cross-border e-commerce platform (利用第三方跨境电子商务平台)', yesNo(p.uses, loc)),
    'zh-CN': (s, p, loc) => w('利用第三方跨境电子商务平台', yesNo(p.uses, loc)),
  },
  'platform-service': {
    en: (s, p) =>
      w(
        `service ${s('service')} declared${p.evidence ? ` with evidence ${s('evidence')}` : p.declared ? ' without evidence' : ': not declared'}`,
        p.evidence ? 'met' : 'not met',
      ),
    'zh-CN': (s, p) =>
      w(
        `${SERVICES_ZH[s('service')] ?? s('service')}服务${p.evidence ? `已申报，证明材料 ${s('evidence')}` : p.declared ? '已申报，未附证明材料' : '未申报'}`,
        p.evidence ? '满足' : '不满足',
      ),
  },
  'operation-suspended': {
    en: (s, p) =>
      w(
        `declared suspension ${s('from')} – ${p.to ? s('to') : 'open'}: within the operation up to ${s('yearEnd')}`,
        p.overlaps ? 'yes: not operating normally' : 'no',
      ),
    'zh-CN': (s, p) => w(`申报停止运营 ${s('from')} 至 ${p.to ? s('to') : '今'}：在截至${s('yearEnd')}的运营期内`, p.overlaps ? '是，非正常运营' : '否'),
  },
  'subsidy-award-years': {
    en: (s) => w(`subsidy period: at most ${s('periodYears')} award years; awarded before`, `${s('count')} (${s('awarded') || 'none'})`),
    'zh-CN': (s) => w(`补助期：最多${s('periodYears')}个获补年度；此前已获补年度`, `${s('count')}个（${s('awarded') || '无'}）`),
  },
  'policy-not-in-force': {
    en: (s) => w(`policy ${s('version')} governs award years from ${s('fromYear')}${s('toYear') ? ` to ${s('toYear')}` : ''}`, `${s('year')}: not in force`),
    'zh-CN': (s) => w(`政策 ${s('version')} 适用于${s('fromYear')}年${s('toYear') ? `至${s('toYear')}年` : '起'}的申报年度`, `${s('year')}年：不适用`),
  },
  'wrong-beneficiary-kind': {
    en: (s) => w(`${s('program')} is awarded to a ${s('expected')}`, `not to a ${s('actual')}`),
    'zh-CN': (s) => w(`${s('program')} 的支持对象为${KINDS_ZH[s('expected')] ?? s('expected')}`, `申报主体为${KINDS_ZH[s('actual')] ?? s('actual')}，不符`),
  },
  'award-year-not-over': {
    en: (s) => w(`applications for ${s('year')} open once ${s('year')} has ended (Beijing time)`, `not yet, at ${s('now')}`),
    'zh-CN': (s) => w(`${s('year')}年度的申报须在该年度结束后（北京时间）提出`, `尚未结束（${s('now')}）`),
  },
  'no-increment': {
    en: (s) => w(`increment ${s('now')} - ${s('before')} is zero or negative`, 'none'),
    'zh-CN': (s) => w(`增量 ${s('now')} - ${s('before')} 不大于零`, '无'),
  },
  increment: {
    en: (s) => w(`increment = ${s('now')} - ${s('before')}`, s('amount')),
    'zh-CN': (s) => w(`增量 = ${s('now')} - ${s('before')}`, s('amount')),
  },
  'whole-steps': {
    en: (s) => w(`whole steps of ${s('stepUsd')} in ${s('increment')} (rounded down)`, s('steps')),
    'zh-CN': (s) => w(`${s('increment')} 中满 ${s('stepUsd')} 的份数（不足部分舍去）`, s('steps')),
  },
  'steps-times': {
    en: (s) => w(`${s('steps')} x ${s('per')}`, s('amount')),
    'zh-CN': (s) => w(`${s('steps')} × ${s('per')}`, s('amount')),
  },
  'registered-locally': {
    en: (s, p, loc) => w(`registered in the city: division code ${s('division')} starts with ${s('prefix')}`, yesNo(p.local, loc)),
    'zh-CN': (s, p, loc) =>
      w(`在我市注册：行政区划代码 ${s('division')}（${label('division', s('division'), loc)}）以 ${s('prefix')} 开头`, yesNo(p.local, loc)),
  },
  'platform-registered-locally': {
    en: (s, p, loc) => w(`platform registered in the city: division code ${s('division')} starts with ${s('prefix')}`, yesNo(p.local, loc)),
    'zh-CN': (s, p, loc) =>
      w(`平台在我市注册：行政区划代码 ${s('division')}（${label('division', s('division'), loc)}）以 ${s('prefix')} 开头`, yesNo(p.local, loc)),
  },
  'operating-since': {
    en: (s, p, loc) =>
      w(`operating since ${s('since')}: ${s('years')} year(s) complete on ${s('completes')}, by ${s('yearEnd')} (一年以上, inclusive)`, metText(p.met, loc)),
    'zh-CN': (s, p, loc) => w(`自${s('since')}起运营：${s('completes')}满${s('years')}年，截至${s('yearEnd')}（一年以上，含本数）`, metText(p.met, loc)),
  },
  'served-enterprises': {
    en: (s, p, loc) =>
      w(
        `distinct enterprises served in ${s('year')} (the platform itself excluded) >= ${s('min')} (10家以上, inclusive)`,
        `${s('count')}: ${metText(p.met, loc)}`,
      ),
    'zh-CN': (s, p, loc) => w(`${s('year')}年服务的跨境电商企业（不含平台自身）≥ ${s('min')}家（10家以上，含本数）`, `${s('count')}家：${metText(p.met, loc)}`),
  },
  'local-online-trade': {
    en: (s, p, loc) => w(`local online imports + exports ${s('trade')} >= ${s('min')} (50万美元以上, inclusive)`, metText(p.met, loc)),
    'zh-CN': (s, p, loc) => w(`年累计本地在线进出口交易额 ${s('trade')} ≥ ${s('min')}（50万美元以上，含本数）`, metText(p.met, loc)),
  },
  investment: {
    en: (s) => w(`software and hardware investment in ${s('year')}`, s('amount')),
    'zh-CN': (s) => w(`${s('year')}年平台软硬件实际投资`, s('amount')),
  },
  'recruit-listed-twice': {
    en: (s) => w(`recruit ${s('recruit')}: listed twice`, 'not counted'),
    'zh-CN': (s) => w(`招引企业 ${s('recruit')}：重复列出`, '不计'),
  },
  'recruit-is-platform': {
    en: (s) => w(`recruit ${s('recruit')}: is the platform itself`, 'not counted'),
    'zh-CN': (s) => w(`招引企业 ${s('recruit')}：即平台自身`, '不计'),
  },
  'recruit-counted-elsewhere': {
    en: (s) => w(`recruit ${s('recruit')}: already counted for another platform (recruitsCountedElsewhere)`, 'not counted'),
    'zh-CN': (s) => w(`招引企业 ${s('recruit')}：已由其他平台计算`, '不计'),
  },
  'recruit-counted-before': {
    en: (s) => w(`recruit ${s('recruit')}: already counted in this platform's award for ${s('year')} (${s('ref')})`, 'not counted'),
    'zh-CN': (s) => w(`招引企业 ${s('recruit')}：已在本平台${s('year')}年度奖励中计算（${s('ref')}）`, '不计'),
  },
  'recruit-not-local': {
    en: (s) => w(`recruit ${s('recruit')}: not an enterprise of the city (division code ${s('division')})`, 'not counted'),
    'zh-CN': (s, p, loc) => w(`招引企业 ${s('recruit')}：非我市企业（行政区划代码 ${s('division')}，${label('division', s('division'), loc)}）`, '不计'),
  },
  'recruit-no-zero-breakthrough': {
    en: (s) => w(`recruit ${s('recruit')}: no zero breakthrough in ${s('year')}`, 'not counted'),
    'zh-CN': (s) => w(`招引企业 ${s('recruit')}：${s('year')}年未实现本地进出口额零突破`, '不计'),
  },
  'recruit-counts': {
    en: (s) => w(`recruit ${s('recruit')}: counts`, s('amount')),
    'zh-CN': (s) => w(`招引企业 ${s('recruit')}：计入`, s('amount')),
  },
  'recruits-times': {
    en: (s) => w(`${s('count')} qualifying recruit(s) x ${s('per')}`, s('amount')),
    'zh-CN': (s) => w(`${s('count')}家符合条件的招引企业 × ${s('per')}`, s('amount')),
  },
  'provincial-recognition': {
    en: (s, p) =>
      w(
        `recognised as a provincial cross-border e-commerce industrial park${p.yearEnd ? ` no later than ${s('yearEnd')}` : ''}`,
        `${s('documentNo')} of ${s('date')}${p.met === false ? ': after the award year' : ''}`,
      ),
    'zh-CN': (s, p) =>
      w(
        `经认定的省级跨境电子商务产业园区${p.yearEnd ? `（认定日期不晚于${s('yearEnd')}）` : ''}`,
        `${s('documentNo')}（${s('date')}）${p.met === false ? '：晚于申报年度' : ''}`,
      ),
  },
  'p4-one-time-grant': {
    en: (s) => w('one-time grant', s('amount')),
    'zh-CN': (s) => w('一次性支持', s('amount')),
  },
  'double-benefit-recorded': {
    en: (s, p) =>
      w(`no double benefit: a municipal foreign-trade award is recorded for ${s('year')} and not waived`, p.amount === null ? 'recorded' : s('amount')),
    'zh-CN': (s, p) => w(`不重复享受：已登记${s('year')}年度市级外贸政策奖励且未放弃`, p.amount === null ? '已登记' : s('amount')),
  },
  'recruit-already-counted': {
    en: (s) => w(`recruit ${s('recruit')} already counted`, s('recruit')),
    'zh-CN': (s) => w(`招引企业 ${s('recruit')} 已计算过`, s('recruit')),
  },
  /** A step stored as text before steps carried codes: shown as stored, money formatted. */
  'legacy-text': {
    en: (s) => w(s('step'), s('value')),
    'zh-CN': (s) => w(s('step'), s('value')),
  },
};

export const TRACE_CODES: readonly string[] = Object.keys(TRACE_TEXTS);
