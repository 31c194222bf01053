import { evaluateFacts, evaluationToJson, getPolicy, Locality, ReasonCode, TraceStep, UNCONFIRMED_LOCALITY_NOTE } from '@cbec/domain';
import { AggregateStore } from '@cbec/platform';
import { customsEventIdsOf, CustomsFiguresReader, gatherApprovalInputs } from '@cbec/workflow';
import type { CaseRow } from '../cases.projection';

/** Statuses in which the award is not decided yet: the case shows what approving now would compute. */
export const PREVIEW_STATUSES: ReadonlySet<string> = new Set(['submitted', 'under-review', 'objected', 'ready-for-decision']);

export type AwardPreview =
  | {
      /** What an approval now would compute: the approval recomputes it, from the figures in force then. */
      preview: true;
      eligible: boolean;
      /** What may be awarded: the ceiling of the approval (its `approvableCny`). */
      amountCny: string;
      /** The clause's amount before caps, as `evaluate` reports it. */
      computedCny: string;
      capApplied: string | null;
      reasons: ReasonCode[];
      trace: TraceStep[];
      policyVersion: string;
      customsEventIds: string[];
      /** Where the beneficiary (and each P3b recruit) is registered, and whether the register confirms it. */
      locality: Locality[];
      /** Set when any locality was judged by the USCC prefix alone: what the lead unit should see before deciding. */
      localityNote: { 'zh-CN': string; en: string } | null;
    }
  | { preview: true; error: string };

/** The policy engine on the case as it stands, on the very inputs an approval now would gather. */
export async function previewAward(aggregates: AggregateStore, customs: CustomsFiguresReader, row: CaseRow): Promise<AwardPreview> {
  try {
    const claims = JSON.parse(row.claims) as Record<string, unknown>;
    const facts = await gatherApprovalInputs(aggregates, customs, {
      program: row.program,
      year: row.year,
      policyVersion: row.policy_version,
      beneficiary: { uscc: row.uscc, kind: row.beneficiary_kind, ...(row.manufacturing === null ? {} : { manufacturing: row.manufacturing === 1 }) },
      claims,
    });
    const json = evaluationToJson(evaluateFacts(facts, getPolicy(row.policy_version)));
    const customsEventIds = customsEventIdsOf(json.trace);
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
      locality: json.locality,
      localityNote: json.locality.some((l) => !l.confirmed) ? { ...UNCONFIRMED_LOCALITY_NOTE } : null,
    };
  } catch (error) {
    // A claim the engine cannot read is for the reviewers to see, not a failed page.
    return { preview: true, error: error instanceof Error ? error.message : String(error) };
  }
}
