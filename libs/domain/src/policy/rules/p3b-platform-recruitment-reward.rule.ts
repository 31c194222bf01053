import { traceStep, TraceStep } from '../../shared/trace';
import { cny, zeroBreakthrough } from '../customs-figures';
import { recruitsAlreadyCounted } from '../ledger-rules';
import { localityOf } from '../locality';
import { readingSource } from '../policy';
import { ReasonCode } from '../reasons';
import { outcome, Rule } from './rule';

/**
 * 四（三）后段: 在我市注册的平台（locality.ts, checked for every program）每新招引1家我市企业在平台上开展跨境电子商务且实现本地进出口额零突破的，一次性奖励1万元
 * (annual cap is the ledger's). An enterprise counts once, ever, for one platform only.
 */
const CBEC_TRADE = ['cbecImportUsd', 'cbecExportUsd'] as const;
/** The statistics hold no total imports: "all trade" reads every figure they hold for an enterprise. */
const ALL_TRADE = ['cbecImportUsd', 'cbecExportUsd', 'totalExportUsd', 'export9610Usd'] as const;

export const p3bPlatformRecruitmentReward: Rule = (facts, policy) => {
  const { p3b } = policy;
  const trace: TraceStep[] = [];
  const reasons: ReasonCode[] = [];
  const platform = facts.beneficiary.uscc;
  const y = facts.year;

  const figures = p3b.zeroBreakthroughTrade === 'all-trade' ? ALL_TRADE : CBEC_TRADE;
  const measure = p3b.zeroBreakthroughTrade === 'all-trade' ? 'all recorded trade' : 'local cross-border e-commerce trade';
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
    // 我市企业: registered in the city in the award year, as for the platform itself (locality.ts).
    const locality = localityOf(facts, recruit, policy, trace, source);
    if (!locality.local) return skip('recruit-not-local', { division: locality.division });
    if (!zeroBreakthrough(facts, u, y, figures, measure, trace)) {
      return skip('recruit-no-zero-breakthrough', { year: y, reading: readingSource(policy, 'p3b.zeroBreakthroughTrade') });
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
