import { PROGRAM_CATALOGUE, type ProgramId } from './programs/index';

/** The award programs of 六政办秘〔2019〕4号 四、支持政策 (docs/policy.md), from the catalogue of entries (programs/). */
export type { ProgramId } from './programs/index';

export const PROGRAM_IDS: readonly ProgramId[] = PROGRAM_CATALOGUE.map((e) => e.id);

/** The long names of docs/policy.md, accepted wherever a program id is (docs/api.md). */
export const PROGRAM_NAMES: Readonly<Record<ProgramId, string>> = Object.fromEntries(PROGRAM_CATALOGUE.map((e) => [e.id, e.name])) as Record<ProgramId, string>;

export class InvalidProgram extends Error {
  readonly code = 'invalid-program';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'InvalidProgram';
  }
}

export function isProgramId(text: unknown): text is ProgramId {
  return typeof text === 'string' && (PROGRAM_IDS as readonly string[]).includes(text);
}

/** Accepts `P2b` or `trade-increment-subsidy`; anything else is a typed error naming the field. */
export function parseProgramId(text: unknown, field = 'program'): ProgramId {
  if (typeof text !== 'string') {
    throw new InvalidProgram(field, `must be one of ${PROGRAM_IDS.join(', ')}, got ${text === null ? 'null' : typeof text}`);
  }
  if (isProgramId(text)) return text;
  const byName = PROGRAM_IDS.find((id) => PROGRAM_NAMES[id] === text);
  if (byName) return byName;
  throw new InvalidProgram(field, `unknown program "${text}"; expected one of ${PROGRAM_IDS.join(', ')} or ${Object.values(PROGRAM_NAMES).join(', ')}`);
}
