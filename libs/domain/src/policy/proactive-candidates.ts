import type { Json } from '../decider';
import type { TraceStep } from '../shared/trace';
import type { RegisteredDivision } from './case-facts';
import { evaluateFacts } from './evaluate';
import { parseEvaluationInput } from './parse-evaluation-input';
import type { Policy } from './policy';
import { programEntry, type ProgramId } from './programs/index';

/**
 * 免申即享: the awards the customs statistics alone prove. For an award year, every enterprise with a record
 * in the imported statistics is computed, by the policy engine itself (the same rules and caps as an
 * approval), for the programs whose conditions are customs figures:
 *
 * - P1 四（一）: 9610 exports at least the threshold. The one declaration it needs (no other municipal award for
 *   the same exports, 与市级外贸政策不重复享受) is assumed "none" for the computation and left to the enterprise;
 * - P2b 四（二）: the cross-border e-commerce increment; it needs no declaration;
 * - P2a 四（二）: only its growth condition (total exports grew at least 10%) is the statistics'; the online
 *   promotion and the fees are the enterprise's to declare, so the candidate has no amount yet (pending the
 *   fees). P2a's other route (a manufacturer's zero breakthrough) needs facts the statistics do not hold.
 *
 * An enterprise is a candidate for a program when the computation finds an award (P2a: when the fees are all it
 * lacks) and it has no case for that program and year. Pure: the shell gathers the statistics, the cases and
 * the ledgers; nothing here reads a store or a clock.
 */

/** The programs the statistics alone can prove, in the order the list shows them. */
export const PROACTIVE_PROGRAMS = ['P1', 'P2b', 'P2a'] as const satisfies readonly ProgramId[];
export type ProactiveProgram = (typeof PROACTIVE_PROGRAMS)[number];

/** What each program's computation assumes of the declarations the enterprise has not made yet (and confirms later). */
const ASSUMED: Record<ProactiveProgram, Record<string, Json>> = {
  P1: { otherMunicipalTradeAward: false },
  P2b: {},
  P2a: { promotesOnThirdPartyPlatform: true },
};

/** One customs record in force, as the policy engine reads it (`source` names the event that set it). */
/**
 * The beneficiary as a 免申 case states it. P2a's growth route does not read whether the enterprise manufactures
 * (only its other route, the zero breakthrough, does), and the statistics do not say: it is stated `false`.
 */
export function proactiveBeneficiary(uscc: string, program: ProactiveProgram): { uscc: string; kind: 'enterprise'; manufacturing?: boolean } {
  return program === 'P2a' ? { uscc, kind: 'enterprise', manufacturing: false } : { uscc, kind: 'enterprise' };
}

export interface ProactiveCustomsRecord {
  year: number;
  uscc: string;
  source: string;
  export9610Usd: string;
  cbecImportUsd: string;
  cbecExportUsd: string;
  totalExportUsd: string;
  /** Only platforms have it: a platform is not an enterprise of P1/P2, and is not a candidate. */
  platformLocalOnlineTradeUsd: string | null;
}

/** What an enterprise's ledger holds, in the policy engine's `history` form, and where the register says it is registered. */
export interface ProactiveLedger {
  history: Json[];
  registered?: RegisteredDivision;
}

export interface ProactiveSearch {
  year: number;
  policy: Policy;
  /** Every record in force of the award year and of the years before it the rules read (all enterprises). */
  customs: readonly ProactiveCustomsRecord[];
  /** The years whose statistics were imported. */
  customsYears: readonly number[];
  /** The enterprises' names as the statistics give them. */
  names?: Readonly<Record<string, string>>;
  /** The cases that exist, any status: an enterprise with a case for a program and year is not a candidate for it. */
  cases: ReadonlyArray<{ uscc: string; program: string; year: number }>;
  /** The ledgers known (an enterprise without one is computed on an empty ledger, registered by its USCC prefix). */
  ledgers?: Readonly<Record<string, ProactiveLedger>>;
  /** Only these enterprises (default: every one with a record in the award year). */
  only?: readonly string[];
}

export interface ProactiveCandidate {
  uscc: string;
  name: string | null;
  program: ProactiveProgram;
  year: number;
  /** Before caps; for P2a the fees are not known yet ('0.00'). */
  computedCny: string;
  /** After caps; null for P2a (pending the fees). */
  amountCny: string | null;
  capApplied: string | null;
  /** The claims the enterprise declares before the case may be accepted (the program's claims). */
  declarationsPending: string[];
  /** What the computation assumed of them (the enterprise confirms or corrects it). */
  assumed: Record<string, Json>;
  trace: TraceStep[];
}

export function findProactiveCandidates(search: ProactiveSearch): ProactiveCandidate[] {
  const { year, policy } = search;
  const byUscc = new Map<string, ProactiveCustomsRecord[]>();
  for (const r of search.customs) byUscc.set(r.uscc, [...(byUscc.get(r.uscc) ?? []), r]);
  const taken = new Set(search.cases.filter((c) => c.year === year).map((c) => `${c.uscc} ${c.program}`));
  const only = search.only ? new Set(search.only) : null;
  const enterprises = [...byUscc.entries()]
    .filter(([uscc, records]) => (!only || only.has(uscc)) && records.some((r) => r.year === year && r.platformLocalOnlineTradeUsd === null))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: ProactiveCandidate[] = [];
  for (const [uscc, records] of enterprises) {
    const ledger = search.ledgers?.[uscc];
    for (const program of PROACTIVE_PROGRAMS) {
      if (taken.has(`${uscc} ${program}`)) continue;
      const facts = parseEvaluationInput({
        program,
        year,
        policyVersion: policy.version,
        beneficiary: proactiveBeneficiary(uscc, program),
        customs: records.map((r) => ({ ...r })),
        customsYears: [...search.customsYears],
        // P2a's fees are not known: computed with none, the rule then names only them (no-fees-claimed) when all else holds.
        claims: program === 'P2a' ? { ...ASSUMED[program], platformFeesCny: [] } : ASSUMED[program],
        history: ledger?.history ?? [],
      });
      const evaluation = evaluateFacts(ledger?.registered ? { ...facts, registered: { ...facts.registered, [uscc]: ledger.registered } } : facts, policy);
      const pendingFeesOnly = program === 'P2a' && evaluation.reasons.length === 1 && evaluation.reasons[0] === 'no-fees-claimed';
      if (!evaluation.eligible && !pendingFeesOnly) continue;
      out.push({
        uscc,
        name: search.names?.[uscc] ?? null,
        program,
        year,
        computedCny: evaluation.computed.toString(),
        amountCny: pendingFeesOnly ? null : evaluation.amount.toString(),
        capApplied: evaluation.capApplied,
        declarationsPending: [...programEntry(program).claims],
        assumed: { ...ASSUMED[program] },
        trace: evaluation.trace,
      });
    }
  }
  return out;
}
