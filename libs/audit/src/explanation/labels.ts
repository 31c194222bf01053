/** Chinese labels of the explanation (the vocabulary of 六政办秘〔2019〕4号 and of customs statistics). */
export const LABELS = {
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
} as const;

export const PROGRAM_LABELS: Record<string, string> = {
  P1: '跨境电商9610出口一次性奖励',
  P2a: '第三方跨境电商平台推广费用补贴',
  P2b: '跨境电商进出口增量奖励',
  P3a: '跨境电商平台软硬件投资补贴',
  P3b: '跨境电商平台招引企业奖励',
  P4: '省级跨境电商产业园区奖励',
};

export const STATUS_LABELS: Record<string, string> = {
  submitted: '已提交',
  returned: '退回补正',
  'under-review': '会签中',
  objected: '有异议',
  'ready-for-decision': '待审批',
  approved: '已批准',
  rejected: '已驳回',
  disbursed: '已拨付',
};

function groupThousands(decimal: string): string {
  const [whole, frac] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** "50000.00" -> "¥50,000.00" (amounts in yuan). */
export function yuan(amount: string): string {
  return /^\d+(\.\d+)?$/.test(amount) ? `¥${groupThousands(amount)}` : amount;
}

/** "150000.00" -> "US$150,000.00" (customs statistics are in US dollars). */
export function dollars(amount: string | null): string {
  if (amount === null) return '—';
  return /^\d+(\.\d+)?$/.test(amount) ? `US$${groupThousands(amount)}` : amount;
}

/** The domain's trace writes money as "CNY 4000.00" / "USD 150000.00"; rendered as ¥4,000.00 / US$150,000.00. */
export function renderMoneyIn(text: string): string {
  return text.replace(/CNY (\d+(?:\.\d+)?)/g, (_m, n: string) => yuan(n)).replace(/USD (\d+(?:\.\d+)?)/g, (_m, n: string) => dollars(n));
}
