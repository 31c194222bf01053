import { label } from '../i18n/catalogue';
import { formatMoney } from '../i18n/format';
import { Money } from '../shared/money';
import { PLATFORM_SERVICE_ZH, PlatformService, Policy, readingValue } from './policy';

/**
 * A policy version said in Chinese, every parameter and every reading (`npm run --silent cli -- policy show`):
 * what a lead unit checks the rules against, and what a city changes in a new version.
 */

/** The Chinese name of each parameter, by its last key (the program or article it belongs to is said before it). */
export const PARAMETER_ZH: Readonly<Record<string, string>> = {
  fromYear: '适用申报年度起',
  toYear: '适用申报年度止（空为至新版本发布）',
  localDivisionPrefix: '“在我市注册”的行政区划代码前缀',
  divisionsTransferred: '已划出本市的行政区划',
  rounding: '按比例计算金额的取整方式',
  reviewPeriodWorkingDays: '会签期限（工作日）',
  name: '项目代号',
  article: '条款',
  leadUnit: '牵头单位',
  cooperatingUnits: '配合单位',
  beneficiaryKind: '支持对象',
  rule: '计算规则',
  programs: '所含项目',
  annualCapCny: '最高额',
  capScope: '最高额的计算范围',
  oncePer: '享受次数',
  periodYears: '补助期（年）',
  periodCounting: '补助期的计算方式',
  minExport9610Usd: '9610项下年度出口额门槛',
  awardCny: '奖励（支持）金额',
  minGrowthPercent: '年出口增长率门槛（%）',
  ratePercent: '补助比例（%）',
  stepUsd: '增量计算单位',
  awardPerStepCny: '每单位增量补助',
  newEnterprise: '“新企业”的认定',
  requiredServices: '须申报并举证的综合配套服务',
  minOperatingYears: '正常运营年限',
  minServedEnterprises: '服务跨境电商企业数门槛',
  minLocalOnlineTradeUsd: '年累计本地在线进出口交易额门槛',
  awardPerRecruitCny: '每新招引1家企业奖励',
  zeroBreakthroughTrade: '“零突破”所指的进出口',
  afterDecision: '批准之后（行政惯例，非政策原文）',
  publicityWorkingDays: '批准后公示期（工作日）',
  recoveryDueWorkingDays: '追回期限（工作日）',
  supplementarySkipsCountersign: '补发是否免会签',
  basis: '依据',
};

const KINDS_ZH: Record<string, string> = { enterprise: '企业', platform: '平台', park: '园区' };
const ONCE_ZH: Record<string, string> = { beneficiary: '每个主体终身一次', 'beneficiary-year': '每个主体每个年度一次' };

function valueZh(key: string, value: unknown): string {
  if (value === null || value === undefined) return '无';
  if (value instanceof Money) return formatMoney(value.toString(), value.currency);
  if (key === 'beneficiaryKind') return KINDS_ZH[String(value)] ?? String(value);
  if (key === 'oncePer') return ONCE_ZH[String(value)] ?? String(value);
  if (key === 'leadUnit') return `${String(value)} ${label('unit', String(value))}`;
  if (key === 'cooperatingUnits') return (value as string[]).map((u) => `${u} ${label('unit', u)}`).join('、');
  if (key === 'requiredServices') return (value as PlatformService[]).map((s) => PLATFORM_SERVICE_ZH[s] ?? s).join('、');
  if (key === 'divisionsTransferred') {
    return (value as Policy['divisionsTransferred']).map((d) => `${d.code} ${d.name}（${d.fromYear}年起为 ${d.now}）`).join('；') || '无';
  }
  return Array.isArray(value) ? value.join('、') : String(value);
}

export interface PolicyParameterZh {
  参数: string;
  含义: string;
  值: string;
}

export interface PolicyReadingZh {
  编号: string;
  条款: string;
  原文: string;
  参数: string;
  所取解读: string;
  可选解读: Record<string, string>;
  理由: string;
}

export interface PolicyZh {
  政策版本: string;
  文件: string;
  参数: PolicyParameterZh[];
  解读: PolicyReadingZh[];
}

/** Every leaf parameter of `policy` (readings apart), as `path` -> value: what `describePolicy` prints. */
export function policyParameters(policy: Policy): Array<{ path: string; key: string; value: unknown }> {
  const out: Array<{ path: string; key: string; value: unknown }> = [];
  const walk = (value: unknown, path: string, key: string): void => {
    const isLeaf = value === null || typeof value !== 'object' || value instanceof Money || Array.isArray(value);
    if (isLeaf) out.push({ path, key, value });
    else for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, path ? `${path}.${k}` : k, k);
  };
  for (const [k, v] of Object.entries(policy)) if (!['version', 'title', 'readings'].includes(k)) walk(v, k, k);
  return out;
}

const PROGRAM_OF_KEY: Readonly<Record<string, string>> = { p1: 'P1', p2a: 'P2a', p2b: 'P2b', p3a: 'P3a', p3b: 'P3b', p4: 'P4' };

function meaningOf(path: string, key: string): string {
  const [head, second] = path.split('.');
  const program = head === 'programs' ? second : PROGRAM_OF_KEY[head];
  const prefix = program !== undefined ? `${program} ${label('program', program)}：` : head === 'articles' ? `${second}：` : '';
  return `${prefix}${PARAMETER_ZH[key] ?? key}`;
}

export function describePolicy(policy: Policy): PolicyZh {
  return {
    政策版本: policy.version,
    文件: policy.title,
    参数: policyParameters(policy).map(({ path, key, value }) => {
      // A parameter that holds a reading is said as the reading's words for its value.
      const reading = policy.readings.find((r) => r.parameter === path);
      const said = reading?.options[Array.isArray(value) ? value.join(',') : String(value)];
      return { 参数: path, 含义: meaningOf(path, key), 值: said === undefined ? valueZh(key, value) : `${valueZh(key, value)}（${said}）` };
    }),
    解读: policy.readings.map((r) => {
      const value = readingValue(policy, r);
      const chosen = Array.isArray(value) ? value.join(',') : String(value);
      return {
        编号: r.id,
        条款: r.clause,
        原文: r.words,
        参数: r.parameter,
        所取解读: r.options[chosen] ?? valueZh(r.parameter.split('.').pop()!, value),
        可选解读: { ...r.options },
        理由: r.reason['zh-CN'],
      };
    }),
  };
}
