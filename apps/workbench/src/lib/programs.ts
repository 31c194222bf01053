/** The programs of 六政办秘〔2019〕4号 四、支持政策 (docs/policy.md); their names come from the catalogue. */
export const PROGRAMS = ['P1', 'P2a', 'P2b', 'P3a', 'P3b', 'P4'] as const;
export type Program = (typeof PROGRAMS)[number];

/** The clause of 六政办秘〔2019〕4号 四、支持政策 each program applies (docs/policy.md). */
export const CLAUSE: Record<Program, string> = { P1: '四（一）', P2a: '四（二）', P2b: '四（二）', P3a: '四（三）', P3b: '四（三）', P4: '四（四）' };
