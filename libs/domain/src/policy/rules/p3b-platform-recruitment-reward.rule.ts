import { traceStep, TraceStep } from '../../shared/trace';
import { cny, zeroBreakthrough } from '../customs-figures';
import { recruitsAlreadyCounted } from '../ledger-rules';
import { ReasonCode } from '../reasons';
import { outcome, Rule } from './rule';

/**
 * 四（三）后段: 在我市注册的平台每新招引1家我市企业在平台上开展跨境电子商务且实现本地进出口额零突破的，一次性奖励1万元
 * (annual cap is the ledger's). An enterprise counts once, ever, for one platform only.
 */
export const p3bPlatformRecruitmentReward: Rule = (facts, policy) => {
  const { p3b } = policy;
  const trace: TraceStep[] = [];
  const reasons: ReasonCode[] = [];
  const platform = facts.beneficiary.uscc;
  const y = facts.year;

  const local = platform.isRegisteredIn(policy.localDivisionPrefix);
  trace.push(traceStep('platform-registered-locally', { division: platform.divisionCode, prefix: policy.localDivisionPrefix, local }, 'beneficiary.uscc'));
  if (!local) reasons.push('not-registered-locally');

  const elsewhere = new Set(facts.recruitsCountedElsewhere);
  const ownHistory = recruitsAlreadyCounted(facts.history);
  const qualifying: string[] = [];
  (facts.claims.recruits ?? []).forEach((recruit, i) => {
    const source = `claims.recruits[${i}]`;
    const u = recruit.value;
    const skip = (code: string, params: Record<string, string | number> = {}) => trace.push(traceStep(code, { recruit: u, ...params }, source));
    if (facts.claims.recruits!.findIndex((r) => r.value === u) < i) return skip('recruit-listed-twice');
    if (u === platform.value) return skip('recruit-is-platform');
    if (elsewhere.has(u)) return skip('recruit-counted-elsewhere');
    const own = ownHistory.get(u);
    if (own) return skip('recruit-counted-before', { year: own.record.year, ref: own.record.ref ?? `history[${own.index}]` });
    if (!recruit.isRegisteredIn(policy.localDivisionPrefix)) {
      return skip('recruit-not-local', { division: recruit.divisionCode });
    }
    if (!zeroBreakthrough(facts, u, y, ['cbecImportUsd', 'cbecExportUsd'], 'local cross-border e-commerce trade', trace)) {
      return skip('recruit-no-zero-breakthrough', { year: y });
    }
    qualifying.push(u);
    trace.push(traceStep('recruit-counts', { recruit: u, amount: cny(p3b.awardPerRecruitCny) }, source));
  });
  if (qualifying.length === 0) reasons.push('no-qualifying-recruits');

  const computed = p3b.awardPerRecruitCny.times(qualifying.length);
  if (reasons.length === 0) {
    trace.push(
      traceStep(
        'recruits-times',
        { count: qualifying.length, per: cny(p3b.awardPerRecruitCny), amount: cny(computed) },
        `policy ${policy.version} p3b.awardPerRecruitCny`,
      ),
    );
  }
  return { ...outcome(computed, reasons, trace), recruitsCounted: reasons.length === 0 ? qualifying : [] };
};
