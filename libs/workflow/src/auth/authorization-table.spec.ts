import { Actor } from '@cbec/event-store';
import { Forbidden } from '@cbec/platform';
import { assertCanAct, WorkflowStep } from './authorization';

/**
 * docs/api.md "Who may do what", row by row: every caller against every step of a case whose program is
 * led by FIN with COM, CUS and PBC countersigning (P1, P2a). One line of the table per principal; a change
 * of any single allowance (a COM head submitting for an applicant, a FIN officer approving) fails its row.
 */
const PROGRAM = { leadUnit: 'FIN', cooperatingUnits: ['COM', 'CUS', 'PBC'] };
const OWN = '91341502MA2010017C';
const OTHER = '91341502MA20100257';

const STEPS: readonly WorkflowStep[] = [
  'import-customs-stats',
  'allocate-fund-budget',
  'submit-application',
  'resubmit-application',
  'accept-case',
  'return-for-correction',
  'record-review-opinion',
  'approve-award',
  'reject-application',
  'disburse-award',
  'record-external-award',
  'import-beneficiary-register',
  'record-publicity-objection',
  'decide-publicity-objection',
  'record-recheck',
  'revoke-award',
  'record-repayment',
  'open-proactive-award',
  'confirm-declarations',
];

/** principal → the steps it may take; every other step is refused (403). */
const ALLOWED: Record<string, readonly WorkflowStep[]> = {
  'FIN officer': ['accept-case', 'return-for-correction', 'reject-application', 'disburse-award', 'record-repayment'],
  'FIN head': ['allocate-fund-budget', 'approve-award', 'reject-application', 'decide-publicity-objection', 'record-recheck', 'revoke-award'],
  'COM officer': [
    'submit-application',
    'resubmit-application',
    'record-review-opinion',
    'record-external-award',
    'import-beneficiary-register',
    'record-publicity-objection',
    'open-proactive-award',
  ],
  'COM head': ['record-external-award', 'import-beneficiary-register', 'record-publicity-objection', 'open-proactive-award'],
  'CUS officer': ['import-customs-stats', 'record-review-opinion'],
  'CUS head': ['import-customs-stats'],
  'PBC officer': ['record-review-opinion'],
  'PBC head': [],
  'CTY-341502 officer': [],
  'CTY-341502 head': [],
  'AUDIT auditor': [],
  'ADMIN admin': [],
  'APPLICANT applicant (own USCC)': ['submit-application', 'resubmit-application', 'confirm-declarations'],
  'APPLICANT applicant (another USCC)': [],
};

function principal(name: string): Actor {
  const [unit, role] = name.split(' ');
  const uscc = name.includes('own USCC') ? OWN : name.includes('another USCC') ? OTHER : undefined;
  return { user: `user-${unit}-${role}`.toLowerCase(), unit, role, ...(uscc ? { uscc } : {}) };
}

const ROWS = Object.entries(ALLOWED).flatMap(([who, allowed]) => STEPS.map((step) => [who, step, allowed.includes(step) ? 'allow' : 'deny'] as const));

describe('the authorization table (docs/api.md "Who may do what")', () => {
  it('covers every principal against every step', () => {
    expect(ROWS).toHaveLength(Object.keys(ALLOWED).length * STEPS.length);
  });

  it.each(ROWS)('%s → %s: %s', (who, step, expected) => {
    const act = (): void => assertCanAct(principal(who), step, PROGRAM, OWN);
    if (expected === 'allow') expect(act).not.toThrow();
    else expect(act).toThrow(Forbidden);
  });
});
