import type { CaseDetail } from './allowed-actions';

/**
 * The after-decision life of a case as the case view carries it (docs/after-decision.md): `sequels` are the
 * events that followed the decision, in order, each with its fields; `recoveries` the orders folded from them.
 * Pure reading, so that what the page shows and which actions it offers are specified without a browser.
 */
export type Sequel = { type: string; at: string } & Record<string, unknown>;

export interface Computation {
  computedCny: string;
  approvableCny: string;
  trace: unknown[];
  customsEventIds: string[];
}

export interface RecheckView {
  flaggedOn: string;
  at: string;
  approvedCny: string;
  decided: Computation;
  revised: Computation;
  /** Null while it awaits the lead unit's head. */
  recorded: { outcome: 'unchanged' | 'lower' | 'higher'; differenceCny: string; revisedCny: string; checkedBy: string; at: string } | null;
}

export function sequelsOf(c: CaseDetail): Sequel[] {
  return (c.sequels ?? []) as Sequel[];
}

/** Each flag (RecheckRequired) with the recheck that answered it (RecheckRecorded, in order), or none yet. */
export function rechecksOf(c: CaseDetail): RecheckView[] {
  const flags = sequelsOf(c).filter((s) => s.type === 'RecheckRequired');
  const records = sequelsOf(c).filter((s) => s.type === 'RecheckRecorded');
  return flags.map((f, i) => {
    const r = records[i];
    return {
      flaggedOn: String(f.flaggedOn ?? ''),
      at: f.at,
      approvedCny: String(f.approvedCny),
      decided: f.decided as Computation,
      revised: f.revised as Computation,
      recorded: r
        ? {
            outcome: r.outcome as 'unchanged' | 'lower' | 'higher',
            differenceCny: String(r.differenceCny),
            revisedCny: String(r.revisedCny),
            checkedBy: String(r.checkedBy),
            at: r.at,
          }
        : null,
    };
  });
}

/** The recheck awaiting the lead unit, if any: the server takes one at a time (409 `no-recheck-pending` otherwise). */
export function pendingRecheck(c: CaseDetail): RecheckView | null {
  return rechecksOf(c).find((r) => r.recorded === null) ?? null;
}

/** Yuan as fen, exactly: decimal strings with at most two decimals. */
export function fen(amount: string): bigint {
  const [whole, cents = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((cents + '00').slice(0, 2));
}

/** What the recheck will record, from the two computations as the server decides it (after-decision.md, 复核). */
export function recheckOutcome(r: Pick<RecheckView, 'approvedCny' | 'revised'>): 'unchanged' | 'lower' | 'higher' {
  const approved = fen(r.approvedCny);
  const revised = fen(r.revised.approvableCny);
  return revised === approved ? 'unchanged' : revised < approved ? 'lower' : 'higher';
}

export const RECHECK_OUTCOME: Record<'unchanged' | 'lower' | 'higher', string> = {
  unchanged: '金额不变',
  lower: '金额降低（已拨付的追回差额，未拨付的核减）',
  higher: '金额提高（差额补发，经会签和审批）',
};

/**
 * The supplementary award (补发) still under way, if any: the last one not yet paid, neither refused nor awaiting
 * the head's decision on an objection (one approved over an objection goes on to its payment).
 */
export function openSupplement(c: CaseDetail): CaseDetail['supplements'][number] | null {
  const open = (c.supplements ?? []).filter((s) => !s.paid && s.objectionDecision?.decision !== 'refuse' && (!s.objectedBy || s.approved));
  return open.length ? open[open.length - 1] : null;
}

/** The 补发 a cooperating unit objected to and the lead unit's head has not yet decided (approve over it or refuse). */
export function objectedSupplement(c: CaseDetail): CaseDetail['supplements'][number] | null {
  const objected = (c.supplements ?? []).filter((s) => s.objectedBy && !s.objectionDecision && !s.approved);
  return objected.length ? objected[objected.length - 1] : null;
}

/** When the head decided on the objection to this 补发: the time of its SupplementObjectionOverruled / SupplementaryAwardRefused. */
export function supplementDecisionAt(c: CaseDetail, supplementId: string): string | null {
  const s = sequelsOf(c).find((q) => (q.type === 'SupplementObjectionOverruled' || q.type === 'SupplementaryAwardRefused') && q.supplementId === supplementId);
  return s ? s.at : null;
}

/** The recovery orders still owed (追回): a FIN officer records repayments against them. */
export function openRecoveries(c: CaseDetail): CaseDetail['recoveries'] {
  return (c.recoveries ?? []).filter((r) => !r.settled);
}

/**
 * An approved award with a publicity period (公示): an objection may be raised while it runs. The day is the
 * server's (its clock, its calendar), so the page does not judge it: after `until` the server answers
 * `not-in-publicity`, shown in Chinese. An award approved before publicity existed has none.
 */
export function hasPublicity(c: CaseDetail): boolean {
  return c.status === 'approved' && !c.disbursement && !!c.award?.publicity;
}
