import { TraceStep, traceStep } from '../shared/trace';
import { Uscc } from '../shared/uscc';
import { CaseFacts } from './case-facts';
import { Policy, readingSource } from './policy';

/**
 * "Registered in the city" (在我市注册, 我市企业; the fund is the city's: 推动我市跨境电子商务). The
 * registered division is a fact with a source: the beneficiary register, or the case file stating it.
 * Without either, the USCC's division digits are read, and the answer says "by USCC prefix, not
 * confirmed by the register": a USCC never changes while an enterprise moves.
 */

/** How the division was known: the register, the case file (`registeredDivision`), or only the USCC's digits. */
export type LocalityBasis = 'register' | 'case-file' | 'uscc-prefix';

export interface Locality {
  uscc: string;
  /** The GB/T 2260 code the decision used (a transferred code is read as its code since). */
  division: string;
  local: boolean;
  basis: LocalityBasis;
  /** False when judged by the USCC's digits alone: the lead unit sees it before deciding. */
  confirmed: boolean;
}

export { isDivisionCode } from '../shared/division';

/** Where `uscc` is registered in the award year, and whether that is in the city; traced with its basis and source. */
export function localityOf(facts: CaseFacts, uscc: Uscc, policy: Policy, trace: TraceStep[], source: string): Locality {
  const known = facts.registered[uscc.value];
  const basis: LocalityBasis = known ? (known.byRegister ? 'register' : 'case-file') : 'uscc-prefix';
  const stated = known ? known.code : uscc.divisionCode;
  const transfer = policy.divisionsTransferred.find((t) => t.code === stated && facts.year >= t.fromYear);
  const division = transfer ? transfer.now : stated;
  const local = division.startsWith(policy.localDivisionPrefix);
  const locality: Locality = { uscc: uscc.value, division, local, basis, confirmed: basis !== 'uscc-prefix' };
  trace.push(
    traceStep(
      'registered-division',
      {
        uscc: uscc.value,
        year: facts.year,
        division,
        prefix: policy.localDivisionPrefix,
        local,
        basis,
        transferredFrom: transfer ? `${transfer.code} ${transfer.name}` : null,
      },
      known ? known.source : `${source} (${readingSource(policy, 'localDivisionPrefix')})`,
    ),
  );
  return locality;
}
