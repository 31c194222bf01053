import { P1_PROGRAM } from './p1.program';
import { P2A_PROGRAM } from './p2a.program';
import { P2B_PROGRAM } from './p2b.program';
import { P3A_PROGRAM } from './p3a.program';
import { P3B_PROGRAM } from './p3b.program';
import { P4_PROGRAM } from './p4.program';

/** The programs of 四、支持政策, one entry each (program.ts says what an entry holds and what derives from it). */
export const PROGRAM_CATALOGUE = [P1_PROGRAM, P2A_PROGRAM, P2B_PROGRAM, P3A_PROGRAM, P3B_PROGRAM, P4_PROGRAM] as const;

export type ProgramEntryOf = (typeof PROGRAM_CATALOGUE)[number];

/** The ids of the programs: 'P1' | 'P2a' | … as the catalogue holds them. */
export type ProgramId = ProgramEntryOf['id'];

/** The key of each program's terms in a policy version: 'p1' | 'p2a' | … */
export type TermsKey = ProgramEntryOf['termsKey'];

/** The rule keys the catalogue names: the rule registry must hold each. */
export type RuleKey = ProgramEntryOf['rule'];

/** The per-program parameters of a policy version, keyed by `termsKey`, each of its entry's terms shape. */
export type ProgramTerms = { [E in ProgramEntryOf as E['termsKey']]: NonNullable<E['terms']> };

export function programEntry(id: ProgramId): ProgramEntryOf {
  return PROGRAM_CATALOGUE.find((e) => e.id === id)!;
}

export type { ClaimKey, ProgramEntry } from './program';
export type { P1Terms } from './p1.program';
export type { P2aTerms } from './p2a.program';
export type { P2bTerms } from './p2b.program';
export type { P3aTerms } from './p3a.program';
export type { P3bTerms } from './p3b.program';
export type { P4Terms } from './p4.program';
