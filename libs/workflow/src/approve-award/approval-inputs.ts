import {
  beneficiaryDecider,
  beneficiaryStreamId,
  BeneficiaryState,
  CaseFacts,
  getPolicy,
  parseEvaluationInput,
  RegisteredDivision,
  registrationInYear,
  TraceStep,
} from '@cbec/domain';
import { AggregateStore } from '@cbec/platform';
import { CUSTOMS_SOURCE_PREFIX, CustomsFiguresReader } from './customs-figures.reader';

/** The years of customs statistics an evaluation may read (zero breakthrough looks back at earlier years). */
const LOOKBACK_YEARS = 10;

/** What of a case the policy engine reads (the case state and the case read model both give it). */
export interface CaseToEvaluate {
  program: string;
  year: number;
  policyVersion: string;
  beneficiary: { uscc: string; kind: string; manufacturing?: boolean };
  claims: Record<string, unknown>;
}

/**
 * The policy engine's input for approving `theCase` now, gathered the one way the approval and the case
 * page's preview both use: the imported customs statistics in force for the beneficiary and its recruits
 * (never the applicant's claim alone), the beneficiary's ledger (reserved and approved awards, municipal
 * awards) and, for P3b, the recruits already counted by another platform. `ledger` is the ledger the
 * caller computes on (the approval reserves against its version); read from the store when omitted.
 */
export async function gatherApprovalInputs(
  aggregates: AggregateStore,
  customs: CustomsFiguresReader,
  theCase: CaseToEvaluate,
  ledger?: BeneficiaryState,
): Promise<CaseFacts> {
  const uscc = theCase.beneficiary.uscc;
  const policy = getPolicy(theCase.policyVersion);
  const recruits = Array.isArray(theCase.claims.recruits) ? theCase.claims.recruits.filter((r): r is string => typeof r === 'string') : [];
  const years = Array.from({ length: LOOKBACK_YEARS + 1 }, (_, i) => theCase.year - LOOKBACK_YEARS + i);
  const records = await customs.records([uscc, ...recruits], years);
  // A year whose statistics were imported reads as zero for an enterprise without a row; any other is unknown.
  const customsYears = await customs.importedYears(years);
  const held = ledger ?? (await aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider)).state;
  const history = ledgerHistoryOf(held);
  const recruitsCountedElsewhere: string[] = [];
  // The beneficiary register decides where the beneficiary (and each recruit) is registered in the award
  // year, over anything the case states and over the USCC's digits (libs/domain/src/policy/locality.ts).
  const registered: Record<string, RegisteredDivision> = {};
  const register = (who: string, state: BeneficiaryState): void => {
    const entry = registrationInYear(state, theCase.year);
    if (entry) registered[who] = { code: entry.division, source: `register:${who} ${entry.documentNo} ${entry.date} (${entry.source})`, byRegister: true };
  };
  register(uscc, held);
  for (const recruit of recruits) {
    const other = await aggregates.load(beneficiaryStreamId(recruit), beneficiaryDecider);
    const counted = other.state.countedAsRecruit;
    if (counted && counted.platformUscc !== uscc) recruitsCountedElsewhere.push(recruit);
    register(recruit, other.state);
  }
  const facts = parseEvaluationInput({
    program: theCase.program,
    year: theCase.year,
    policyVersion: policy.version,
    beneficiary: theCase.beneficiary,
    customs: records,
    customsYears,
    claims: theCase.claims,
    history,
    recruitsCountedElsewhere,
  });
  return { ...facts, registered: { ...facts.registered, ...registered } };
}

/** What a ledger holds, in the policy engine's `history` form: the awards reserved or approved (not released) and the municipal awards COM recorded. */
export function ledgerHistoryOf(held: BeneficiaryState): Array<{ program: string; year: number; amountCny?: string; ref: string; recruits?: string[] }> {
  return [
    ...held.reservations
      .filter((r) => r.status !== 'released')
      .map((r) => ({
        program: r.program,
        year: r.year,
        amountCny: r.amountCny,
        ref: r.applicationId,
        ...(r.recruits.length ? { recruits: [...r.recruits] } : {}),
      })),
    ...held.externalAwards.map((a) => ({ program: 'municipal-foreign-trade', year: a.year, ref: a.ref })),
  ];
}

/** The ids of the customs events a trace read (what the decision records it used). */
export function customsEventIdsOf(trace: readonly TraceStep[]): string[] {
  return [
    ...new Set(
      trace
        .map((s) => s.source)
        .filter((s): s is string => typeof s === 'string' && s.startsWith(CUSTOMS_SOURCE_PREFIX))
        .map((s) => s.slice(CUSTOMS_SOURCE_PREFIX.length)),
    ),
  ];
}
