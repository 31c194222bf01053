import { formatMoney, formatMoneyIn, type Locale } from '@cbec/domain';

/**
 * The field names of the explanation (the vocabulary of 六政办秘〔2019〕4号 and of customs statistics), per
 * locale. The codes it shows (programs, statuses, caps, trace steps) come from the one catalogue,
 * libs/domain/src/i18n (docs/chinese.md).
 */
const ZH = {
  case: '案件',
  program: '项目',
  article: '政策条款',
  year: '奖励年度',
  uscc: '统一社会信用代码',
  beneficiary: '申报主体',
  policyVersion: '政策版本',
  computedCny: '计算金额（封顶前）',
  approvableCny: '可批准金额（封顶后）',
  amountCny: '奖励金额',
  capApplied: '封顶',
  noCap: '未触及封顶',
  reasonIfLower: '低于可批准金额的理由',
  approvedBy: '审批人',
  approvedAt: '审批时间',
  publicity: '公示期',
  noPublicity: '无（公示制度实施前批准）',
  workingDays: (n: number) => `${n}个工作日`,
  life: '批准后',
  trace: '计算过程',
  source: '来源',
  customs: '所用海关数据',
  customsEvent: '海关数据事件',
  export9610Usd: '9610出口额',
  cbecImportUsd: '跨境电商进口额',
  cbecExportUsd: '跨境电商出口额',
  totalExportUsd: '出口额',
  platformLocalOnlineTradeUsd: '平台本地线上交易额',
  customsMissing: '未在日志中找到的海关数据事件',
  status: '案件状态',
  none: '（无）',
  revised: '修订',
  imported: '导入',
  yearSuffix: '年',
  versionOf: (n: number) => `第${n}号`,
};

export type ExplanationLabels = typeof ZH;

const EN: ExplanationLabels = {
  case: 'Case',
  program: 'Program',
  article: 'Clause',
  year: 'Award year',
  uscc: 'USCC',
  beneficiary: 'Beneficiary',
  policyVersion: 'Policy version',
  computedCny: 'Computed (before caps)',
  approvableCny: 'Approvable (after caps)',
  amountCny: 'Award',
  capApplied: 'Cap',
  noCap: 'no cap reached',
  reasonIfLower: 'Reason for less than approvable',
  approvedBy: 'Approved by',
  approvedAt: 'Approved at',
  publicity: 'Publicity (公示)',
  noPublicity: 'none (approved before publicity existed)',
  workingDays: (n: number) => `${n} working days`,
  life: 'After the decision',
  trace: 'Computation',
  source: 'source',
  customs: 'Customs statistics used',
  customsEvent: 'customs event',
  export9610Usd: '9610 exports',
  cbecImportUsd: 'cross-border e-commerce imports',
  cbecExportUsd: 'cross-border e-commerce exports',
  totalExportUsd: 'total exports',
  platformLocalOnlineTradeUsd: 'local online trade through the platform',
  customsMissing: 'customs event not found in the log',
  status: 'status',
  none: '(none)',
  revised: 'revised',
  imported: 'imported',
  yearSuffix: '',
  versionOf: (n: number) => `version ${n}`,
};

export const LABELS = ZH;

export function explanationLabels(locale: Locale): ExplanationLabels {
  return locale === 'en' ? EN : ZH;
}

/** "50000.00" -> "¥50,000.00" (amounts in yuan). */
export function yuan(amount: string): string {
  return formatMoney(amount, 'CNY');
}

/** "150000.00" -> "US$150,000.00" (customs statistics are in US dollars). */
export function dollars(amount: string | null): string {
  return amount === null ? '—' : formatMoney(amount, 'USD');
}

/** The domain writes money as "CNY 4000.00" / "USD 150000.00"; rendered as ¥4,000.00 / US$150,000.00. */
export const renderMoneyIn = formatMoneyIn;
