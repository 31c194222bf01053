import {
  beneficiaryDecider,
  beneficiaryStreamId,
  evaluateFacts,
  evaluationToJson,
  getPolicy,
  parseEvaluationInput,
  ReasonCode,
  TraceStep,
} from '@cbec/domain';
import { AggregateStore, CUSTOMS_SOURCE_PREFIX, CustomsFiguresReader } from '@cbec/workflow';
import type { CaseRow } from '../cases.projection';

/**
 * Years of customs statistics before the award year the rules may read (P2a/P3b's "zero breakthrough":
 * nothing recorded before Y). The same look-back as the approval's.
 */
const LOOKBACK_YEARS = 10;

/** Statuses in which the award is not decided yet: the case shows what approving now would compute. */
export const PREVIEW_STATUSES: ReadonlySet<string> = new Set(['submitted', 'under-review', 'objected', 'ready-for-decision']);

export type AwardPreview =
  | {
      /** What an approval now would compute: the approval recomputes it, from the figures in force then. */
      preview: true;
      eligible: boolean;
      /** What may be awarded: the ceiling of the approval (its `computedCny`). */
      amountCny: string;
      /** The clause's amount before caps, as `evaluate` reports it. */
      computedCny: string;
      capApplied: string | null;
      reasons: ReasonCode[];
      trace: TraceStep[];
      policyVersion: string;
      customsEventIds: string[];
    }
  | { preview: true; error: string };

/**
 * The policy engine on the case as it stands: the imported customs statistics in force (never the
 * applicant's claim alone), the beneficiary's ledger (reserved and approved awards, municipal awards) and,
 * for P3b, the recruits already counted by another platform — the inputs the approval assembles.
 */
export async function previewAward(aggregates: AggregateStore, customs: CustomsFiguresReader, row: CaseRow): Promise<AwardPreview> {
  try {
    const policy = getPolicy(row.policy_version);
    const claims = JSON.parse(row.claims) as { recruits?: unknown };
    const recruits = Array.isArray(claims.recruits) ? claims.recruits.filter((r): r is string => typeof r === 'string') : [];
    const years = Array.from({ length: LOOKBACK_YEARS + 1 }, (_, i) => row.year - LOOKBACK_YEARS + i);
    const records = await customs.records([row.uscc, ...recruits], years);
    const { state: ledger } = await aggregates.load(beneficiaryStreamId(row.uscc), beneficiaryDecider);
    const history = [
      ...ledger.reservations
        .filter((r) => r.status !== 'released')
        .map((r) => ({ program: r.program, year: r.year, amountCny: r.amountCny, ref: r.applicationId, ...(r.recruits.length ? { recruits: r.recruits } : {}) })),
      ...ledger.externalAwards.map((a) => ({ program: 'municipal-foreign-trade', year: a.year, ref: a.ref })),
    ];
    const recruitsCountedElsewhere: string[] = [];
    for (const recruit of recruits) {
      const other = await aggregates.load(beneficiaryStreamId(recruit), beneficiaryDecider);
      const counted = other.state.countedAsRecruit;
      if (counted && counted.platformUscc !== row.uscc) recruitsCountedElsewhere.push(recruit);
    }
    const facts = parseEvaluationInput({
      program: row.program,
      year: row.year,
      policyVersion: policy.version,
      beneficiary: { uscc: row.uscc, kind: row.beneficiary_kind, ...(row.manufacturing === null ? {} : { manufacturing: row.manufacturing === 1 }) },
      customs: records,
      claims,
      history,
      recruitsCountedElsewhere,
    });
    const json = evaluationToJson(evaluateFacts(facts, policy));
    const customsEventIds = [
      ...new Set(
        json.trace
          .map((s) => s.source)
          .filter((s): s is string => typeof s === 'string' && s.startsWith(CUSTOMS_SOURCE_PREFIX))
          .map((s) => s.slice(CUSTOMS_SOURCE_PREFIX.length)),
      ),
    ];
    return {
      preview: true,
      eligible: json.eligible,
      amountCny: json.amountCny,
      computedCny: json.computedCny,
      capApplied: json.capApplied,
      reasons: json.reasons,
      trace: json.trace,
      policyVersion: json.policyVersion,
      customsEventIds,
    };
  } catch (error) {
    // A claim the engine cannot read is for the reviewers to see, not a failed page.
    return { preview: true, error: error instanceof Error ? error.message : String(error) };
  }
}
