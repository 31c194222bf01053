import { PROGRAM_CATALOGUE } from '../policy/programs/index';
import type { Locale } from './locale';

/**
 * One catalogue of the labels of every code the system shows people (docs/chinese.md): the server's
 * renderers and the web workbench read it from here. `tests/i18n/catalogue-completeness.spec.ts`
 * enumerates each kind's codes from where they are defined and fails on one without a label.
 */
export type LabelKind = 'program' | 'status' | 'unit' | 'role' | 'reason' | 'error' | 'verdict' | 'event' | 'cap' | 'division' | 'inbox-task' | 'next-step';

export interface Label {
  'zh-CN': string;
  en: string;
}

const l = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });

/** What a case, trace and inbox say of a locality judged by the USCC's digits alone (libs/domain/src/policy/locality.ts). */
export const UNCONFIRMED_LOCALITY_NOTE: Label = l('按统一社会信用代码前缀判断，未经登记信息确认', 'by USCC prefix, not confirmed by the register');

/** The programs of 六政办秘〔2019〕4号 四、支持政策, named after what each clause grants: each entry's own label (programs/). */
const PROGRAMS: Record<string, Label> = Object.fromEntries(PROGRAM_CATALOGUE.map((e) => [e.id, { ...e.label }]));

/** As the workbench shows them (docs/workbench.md): a status names what the case waits for or what happened. */
const STATUSES: Record<string, Label> = {
  submitted: l('待受理', 'submitted'),
  returned: l('已退回补正', 'returned for correction'),
  'under-review': l('会签中', 'under review'),
  objected: l('会签有异议', 'objected'),
  'ready-for-decision': l('待审批', 'ready for decision'),
  approved: l('已批准', 'approved'),
  rejected: l('已驳回', 'rejected'),
  disbursed: l('已拨付', 'disbursed'),
  'publicity-objected': l('公示期有异议', 'objection during publicity'),
  withdrawn: l('已撤回', 'withdrawn'),
  revoked: l('已撤销', 'revoked'),
};

/** Units of docs/api.md; `CTY-<code>` (a county unit) is composed from the division's name, see `unitLabel`. */
const UNITS: Record<string, Label> = {
  FIN: l('市财政局', 'Municipal Finance Bureau'),
  COM: l('市商务局', 'Municipal Commerce Bureau'),
  CUS: l('合肥海关驻六安办事处', "Hefei Customs Lu'an Office"),
  PBC: l('人民银行六安市中心支行', "People's Bank of China Lu'an Central Sub-branch"),
  LGO: l('市跨境电子商务发展工作领导小组办公室', 'Office of the Leading Group for Cross-border E-commerce'),
  AUDIT: l('审计', 'Audit'),
  APPLICANT: l('申报主体', 'Applicant'),
  ADMIN: l('系统管理员', 'System administrator'),
};

const ROLES: Record<string, Label> = {
  officer: l('经办人', 'officer'),
  head: l('负责人', 'head'),
  auditor: l('审计人员', 'auditor'),
  applicant: l('申报人', 'applicant'),
  admin: l('系统管理员', 'administrator'),
};

/** Refusal reasons of the rules (libs/domain/src/policy/reasons.ts). */
const REASONS: Record<string, Label> = {
  'below-threshold': l('未达到奖励门槛', 'below the threshold'),
  'already-awarded': l('已享受过该项奖励', 'already awarded'),
  'no-double-benefit': l('与市级外贸政策不重复享受', 'no double benefit with the municipal foreign-trade award'),
  'new-enterprise': l('新企业进出口总量不计入增量', "a new enterprise's trade is not an increment"),
  'growth-below-threshold': l('年出口增长未达10%', 'export growth below 10%'),
  'period-over': l('补助期（3年）已满', 'the subsidy period is over'),
  'too-few-served-enterprises': l('服务跨境电商企业不足10家', 'fewer than 10 enterprises served'),
  'operating-less-than-a-year': l('正常运营不满一年', 'operating for less than a year'),
  'not-registered-locally': l('未在本市注册', 'not registered in the city'),
  'cap-exhausted': l('年度最高额度已用完', 'the annual cap is exhausted'),
  'outside-period': l('不在补助期内', 'outside the subsidy period'),
  'not-promoting-online': l('未利用第三方平台开展线上推广', 'no online promotion on a third-party platform'),
  'no-exports-in-previous-year': l('上年无出口记录，无法计算增长', 'no exports in the previous year to grow from'),
  'no-zero-breakthrough': l('未实现出口额零的突破', 'no zero breakthrough of exports'),
  'no-fees-claimed': l('未申报平台服务费和推广运营费', 'no platform fees claimed'),
  'no-increment': l('无进出口增量', 'no increment'),
  'no-investment': l('无软硬件投资', 'no investment'),
  'no-qualifying-recruits': l('无符合条件的新招引企业', 'no qualifying recruits'),
  'rounds-to-zero': l('计算金额不足一分', 'the amount rounds down to zero'),
  'not-using-third-party-platform': l('制造业企业未利用第三方跨境电子商务平台', 'the manufacturer does not use a third-party platform'),
  'customs-year-not-imported': l('所需年度的海关统计数据尚未导入，情况不明', 'the customs statistics of a year read were never imported: unknown'),
  'services-not-declared': l('未申报并证明通关、物流、融资、退税、结汇等综合配套服务', 'the required platform services are not declared with evidence'),
  'not-operating-normally': l('申报期间内有停止运营，非正常运营', 'a suspension was declared: not operating normally'),
  'recognised-after-award-year': l('省级园区认定晚于申报年度', 'recognised as a provincial park after the award year'),
  'policy-not-in-force': l('申报年度不在本政策适用期内', 'the policy does not govern the award year'),
  'wrong-beneficiary-kind': l('申报主体类型与项目不符', 'the wrong kind of beneficiary for the program'),
  'award-year-not-over': l('申报年度尚未结束', 'the award year is not over'),
};

/** The `code` of every problem+json answer and command error (docs/api.md). */
const ERRORS: Record<string, Label> = {
  'account-exists': l('账号已存在', 'the account exists already'),
  'account-not-found': l('账号不存在', 'no such account'),
  'already-awarded': REASONS['already-awarded'],
  'rate-limited': l('请求过于频繁，请稍后再试', 'too many requests: try again later'),
  'four-eyes': l('同一人不得在同一案件的申报、会签与审批中两次经手', 'one person may not act twice in the same case'),
  'amount-above-computed': l('批准金额高于计算金额', 'the amount is above the computed amount'),
  'amount-above-limit': l('金额超过允许上限', 'the amount is above the limit'),
  'backup-refused': l('备份无法通过校验，已拒绝', 'the backup is refused'),
  'bad-input': l('输入有误', 'bad input'),
  'cap-exceeded': l('超过最高额度', 'the cap is exceeded'),
  'case-not-found': l('案件不存在', 'no such case'),
  'commitment-not-found': l('资金承诺不存在', 'no such fund commitment'),
  'disbursement-amount-mismatch': l('拨付金额与批准金额不符', 'the disbursement differs from the approved amount'),
  'publicity-not-over': l('公示期未满，暂不拨付', 'the publicity period is not over'),
  'not-in-publicity': l('不在公示期内', 'not in the publicity period'),
  'recovery-not-found': l('追回单不存在', 'no such recovery order'),
  'repayment-above-outstanding': l('退回金额超过应追回余额', 'the repayment is more than what is owed'),
  'no-recheck-pending': l('没有待复核的事项', 'no recheck is pending'),
  'no-supplement-pending': l('没有待处理的补发', 'no supplementary award awaits this step'),
  'supplement-countersign-pending': l('补发尚待会签', 'the supplementary award awaits its countersign'),
  'supplement-objected': l('补发会签有异议，不予批准', 'a unit objected to the supplementary award'),
  'declarations-pending': l('免申即享案件尚待企业确认声明事项', 'the enterprise has not yet confirmed this 免申 case'),
  'no-declarations-pending': l('没有待企业确认的声明事项', 'no declarations are awaited'),
  'not-a-candidate': l('海关数据不足以证明该奖励（或已有案件）', 'not a 免申即享 candidate (now)'),
  'recheck-lower-before-payment': l('复核后金额降低且尚未拨付：请撤销后重新审批', 'lower after the recheck and not yet paid: revoke and approve again'),
  forbidden: l('无权执行此操作', 'forbidden'),
  'fund-over-committed': l('专项资金余额不足', 'the fund is over-committed'),
  'id-conflict': l('编号已被使用', 'the id is taken'),
  'integrity-violation': l('数据完整性校验未通过', 'integrity violation'),
  'internal-error': l('服务器内部错误', 'internal error'),
  'invalid-append': l('无效的事件写入', 'invalid append'),
  'invalid-calendar': l('工作日历无效', 'invalid calendar'),
  'invalid-command': l('无效的指令', 'invalid command'),
  'invalid-customs-rows': l('海关数据行有误', 'invalid customs rows'),
  'invalid-register-rows': l('受益主体登记册数据行有误', 'invalid beneficiary register rows'),
  'invalid-input': l('输入有误', 'invalid input'),
  'invalid-json': l('JSON 格式有误', 'invalid JSON'),
  'invalid-money': l('金额格式有误', 'invalid amount'),
  'invalid-program': l('项目编号有误', 'invalid program'),
  'invalid-request': l('请求有误', 'invalid request'),
  'invalid-transition': l('案件当前状态不允许此操作', 'not allowed in the case’s current status'),
  'invalid-uscc': l('统一社会信用代码有误', 'invalid USCC'),
  'missing-case-facts': l('缺少案件事实', 'missing case facts'),
  'no-double-benefit': REASONS['no-double-benefit'],
  'policy-not-in-force': REASONS['policy-not-in-force'],
  'award-year-not-over': REASONS['award-year-not-over'],
  'not-eligible': l('不符合奖励条件', 'not eligible'),
  'not-found': l('未找到', 'not found'),
  'overdue-already-recorded': l('逾期已记录', 'the overdue review is already recorded'),
  'payload-too-large': l('请求内容过大', 'payload too large'),
  'payment-exceeds-commitment': l('付款超过资金承诺', 'the payment exceeds the commitment'),
  'position-beyond-head': l('位置超出日志末尾', 'position beyond the head of the log'),
  'process-lagging': l('审批流程处理滞后', 'the approval process is lagging'),
  'projection-failed': l('读模型更新失败', 'a projection failed'),
  'projections-lagging': l('读模型更新滞后', 'the projections are lagging'),
  'reason-required-for-lower-amount': l('批准金额低于可批准金额时须说明理由', 'a lower amount needs a reason'),
  'recruit-already-counted': l('该招引企业已计算过', 'the recruit is already counted'),
  'recruit-counted-elsewhere': l('该招引企业已由其他平台计算', 'the recruit is counted for another platform'),
  'relay-config': l('消息转发配置有误', 'relay configuration error'),
  'reservation-not-found': l('额度预留不存在', 'no such reservation'),
  'retention-violation': l('违反保存期限规定', 'retention violation'),
  'review-not-pending': l('该单位没有待提交的会签意见', 'no review pending for this unit'),
  'review-not-yet-due': l('会签尚未到期', 'the review is not yet due'),
  'too-many-customs-rows': l('海关数据行数超过上限', 'too many customs rows'),
  'too-many-streams': l('请求的数据流过多', 'too many streams'),
  'tree-head-refused': l('日志与已发布的树头不一致，拒绝签名', 'the log does not extend the published tree head'),
  unauthorized: l('未登录或凭证无效', 'unauthorized'),
  'unknown-policy-version': l('未知的政策版本', 'unknown policy version'),
  'unreadable-file': l('文件无法读取', 'unreadable file'),
  'unsupported-media-type': l('不支持的内容类型', 'unsupported media type'),
  'version-conflict': l('数据已被他人修改，请刷新后重试', 'version conflict'),
  'weak-password': l('密码强度不足', 'the password is too weak'),
  'wrong-beneficiary-kind': l('申报主体类型与项目不符', 'wrong beneficiary kind for the program'),
  'wrong-expected-version': l('版本号不符', 'wrong expected version'),
};

const VERDICTS: Record<string, Label> = {
  approve: l('同意', 'approve'),
  reject: l('不同意', 'reject'),
};

const EVENTS: Record<string, Label> = {
  ApplicationSubmitted: l('提交申报', 'application submitted'),
  CaseAccepted: l('受理', 'case accepted'),
  ApplicationReturned: l('退回补正', 'returned for correction'),
  ApplicationResubmitted: l('重新提交', 'resubmitted'),
  ReviewOpinionRecorded: l('会签意见', 'review opinion recorded'),
  ApplicationObjected: l('会签有异议', 'objected'),
  ApplicationReadyForDecision: l('会签完成，待审批', 'ready for decision'),
  ReviewOverdue: l('会签逾期', 'review overdue'),
  AwardApproved: l('批准奖励', 'award approved'),
  ApplicationRejected: l('驳回', 'rejected'),
  AwardDisbursed: l('拨付', 'award disbursed'),
  AwardReserved: l('预留额度', 'award reserved'),
  ReservationConfirmed: l('确认预留', 'reservation confirmed'),
  ReservationReleased: l('释放预留', 'reservation released'),
  ExternalAwardRecorded: l('登记市级外贸奖励', 'municipal foreign-trade award recorded'),
  RegistrationRecorded: l('登记受益主体注册地', 'beneficiary registration recorded'),
  RecruitCounted: l('招引企业已计数', 'recruit counted'),
  RecruitClaimReleased: l('释放招引企业计数', 'recruit claim released'),
  FundBudgetAllocated: l('安排专项资金预算', 'fund budget allocated'),
  FundsCommitted: l('承诺资金', 'funds committed'),
  FundCommitmentReleased: l('释放资金承诺', 'fund commitment released'),
  FundPaymentRecorded: l('记录付款', 'payment recorded'),
  FundRepaymentRecorded: l('资金退回', 'repayment returned to the fund'),
  PublicityObjectionRecorded: l('公示异议', 'objection during publicity'),
  AwardUpheld: l('维持奖励', 'award upheld'),
  AwardWithdrawn: l('撤回奖励', 'award withdrawn'),
  AwardRevoked: l('撤销奖励（骗取）', 'award revoked (fraud)'),
  RecoveryOrdered: l('追回', 'recovery ordered'),
  RepaymentRecorded: l('退回款项', 'repayment recorded'),
  RecoverySettled: l('追回完毕', 'recovery settled'),
  RecheckRequired: l('海关数据修订，待复核', 'recheck required after a customs revision'),
  RecheckRecorded: l('复核完成', 'recheck recorded'),
  ProactiveCaseOpened: l('免申即享：商务局依海关数据立案', '免申即享: case opened by COM on the customs statistics'),
  DeclarationsConfirmed: l('企业确认声明事项', 'declarations confirmed by the enterprise'),
  SupplementaryAwardOpened: l('复核后补发，待会签和审批', 'supplementary award opened after the recheck'),
  SupplementOpinionRecorded: l('补发会签意见', 'opinion on the supplementary award'),
  SupplementaryAwardApproved: l('批准补发', 'supplementary award approved'),
  SupplementDisbursed: l('拨付补发', 'supplementary award disbursed'),
  AwardLowered: l('复核后调减奖励（未拨付）', 'award lowered in place after the recheck'),
  AwardAdjusted: l('调整奖励额度', 'award adjusted on the ledger'),
  FundCommitmentReduced: l('调减资金承诺', 'fund commitment reduced'),
  AwardReleased: l('释放奖励额度', 'award released'),
  AwardRepaid: l('奖励额度随退回释放', 'award repaid'),
  CustomsStatisticsImported: l('导入海关统计数据', 'customs statistics imported'),
  CustomsStatisticsRevised: l('修订海关统计数据', 'customs statistics revised'),
  CustomsBatchUnchanged: l('海关数据批次无变化', 'customs batch unchanged'),
};

/** Cap ids as `capApplied` records them (libs/domain/src/policy/ledger-rules.ts). */
const CAPS: Record<string, Label> = {
  'P2a-policy-life-cap': l('单个企业在政策有效期内累计最高10万元（四（二））', 'P2a cap, ¥100,000 per enterprise over the policy’s life'),
  'P2a-annual-cap': l('单个企业年度最高10万元（四（二））', 'P2a annual cap, ¥100,000 per enterprise'),
  'P3a-annual-cap': l('同一平台（项目）年最高补助20万元（四（三））', 'P3a annual cap, ¥200,000 per platform'),
  'P3b-annual-cap': l('同一平台年最高奖励20万元（四（三））', 'P3b annual cap, ¥200,000 per platform'),
  'article-四（二）-annual-cap': l('同一企业此条政策年最高补助20万元（四（二））', 'article 四（二） annual cap, ¥200,000 per enterprise'),
};

/** 六安市 and its districts and counties (GB/T 2260), by the division code a USCC carries in characters 3-8. */
const DIVISIONS: Record<string, Label> = {
  '341500': l('六安市', "Lu'an City"),
  '341502': l('金安区', 'Jin’an District'),
  '341503': l('裕安区', 'Yu’an District'),
  '341504': l('叶集区', 'Yeji District'),
  '341522': l('霍邱县', 'Huoqiu County'),
  '341523': l('舒城县', 'Shucheng County'),
  '341524': l('金寨县', 'Jinzhai County'),
  '341525': l('霍山县', 'Huoshan County'),
  // Divisions a case may name that are not the city's: 寿县 left 六安 for 淮南 in 2016 (its USCCs keep 341521).
  '341521': l('寿县（原属六安市）', 'Shou County (formerly of Lu’an)'),
  '340422': l('寿县（淮南市）', 'Shou County (Huainan)'),
};

const INBOX_TASKS: Record<string, Label> = {
  accept: l('待受理', 'to accept'),
  review: l('待会签', 'to review'),
  decide: l('待审批', 'to decide'),
  disburse: l('待拨付', 'to disburse'),
  resubmit: l('待补正后重新提交', 'to correct and resubmit'),
  'overdue-review': l('会签逾期', 'overdue review'),
  recover: l('待追回', 'to recover'),
  confirm: l('待企业确认（免申即享）', 'to confirm (免申即享)'),
};

/** What a case awaits next (the case view's `awaiting[].step`). */
const NEXT_STEPS: Record<string, Label> = {
  'acceptance or return': l('受理或退回补正', 'acceptance or return'),
  resubmission: l('补正后重新提交', 'resubmission'),
  'review opinion': l('会签意见', 'review opinion'),
  'rejection or return': l('驳回或退回补正', 'rejection or return'),
  'approval or rejection': l('审批（批准或驳回）', 'approval or rejection'),
  disbursement: l('拨付', 'disbursement'),
  'objection decision': l('公示异议处理（维持或撤回）', 'objection decision (uphold or withdraw)'),
  repayment: l('退回款项', 'repayment'),
  recheck: l('复核（海关数据修订）', 'recheck after a customs revision'),
  'supplement opinion': l('补发会签意见', 'opinion on the supplementary award'),
  'supplement decision': l('补发审批', 'decision on the supplementary award'),
  'supplement disbursement': l('拨付补发', 'payment of the supplementary award'),
  declarations: l('企业确认声明事项（免申即享）', 'the enterprise’s declarations (免申即享)'),
};

export const CATALOGUE: Readonly<Record<LabelKind, Readonly<Record<string, Label>>>> = {
  program: PROGRAMS,
  status: STATUSES,
  unit: UNITS,
  role: ROLES,
  reason: REASONS,
  error: ERRORS,
  verdict: VERDICTS,
  event: EVENTS,
  cap: CAPS,
  division: DIVISIONS,
  'inbox-task': INBOX_TASKS,
  'next-step': NEXT_STEPS,
};

const UNTRANSLATED: Record<Locale, string> = { 'zh-CN': '〔未译〕', en: '[untranslated] ' };

/** A code nobody labelled shows as itself behind a visible mark, never as a blank. */
export function untranslated(code: string, locale: Locale): string {
  return `${UNTRANSLATED[locale]}${code}`;
}

export function hasLabel(kind: LabelKind, code: string): boolean {
  return Object.hasOwn(CATALOGUE[kind], code) || (kind === 'unit' && countyDivision(code) !== null);
}

function countyDivision(unit: string): string | null {
  const m = /^CTY-(\d{6})$/.exec(unit);
  return m && Object.hasOwn(DIVISIONS, m[1]) ? m[1] : null;
}

/** The label of `code` in `locale`; an unknown code falls back to `〔未译〕code`. */
export function label(kind: LabelKind, code: string | null | undefined, locale: Locale = 'zh-CN'): string {
  if (code === null || code === undefined || code === '') return locale === 'en' ? '(none)' : '（无）';
  const found = Object.hasOwn(CATALOGUE[kind], code) ? CATALOGUE[kind][code] : undefined;
  if (found) return found[locale];
  if (kind === 'unit') {
    const division = countyDivision(code);
    // A county unit is that county's government (各县区政府): 霍山县人民政府 / Huoshan County government.
    if (division) return locale === 'en' ? `${DIVISIONS[division].en} government` : `${DIVISIONS[division]['zh-CN']}人民政府`;
  }
  return untranslated(code, locale);
}

/** "341525" -> "霍山县" (or the county of a USCC's division); other codes fall back visibly. */
export function divisionLabel(code: string, locale: Locale = 'zh-CN'): string {
  return label('division', code, locale);
}
