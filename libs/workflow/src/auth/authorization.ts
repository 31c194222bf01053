import { Actor } from '@cbec/event-store';
import { COMMERCE_UNIT, CUSTOMS_UNIT, Forbidden, FUND_UNIT, isAdministrator, isAuditor, type ProgramUnits } from '@cbec/platform';

/**
 * Who may do what (docs/api.md, "Who may do what"), as pure functions of the caller and the case's program:
 * a unit acts only on the steps its place in the program gives it (lead vs cooperating), and within the
 * unit the role decides (`head` approves and allocates; `officer` accepts, returns, reviews, disburses).
 * `AUDIT` reads everything and changes nothing. `ADMIN` manages accounts and acts on, and reads, no case
 * (separation of duties: whoever grants access holds none to the cases).
 */
export type WorkflowStep =
  | 'import-customs-stats'
  | 'allocate-fund-budget'
  | 'submit-application'
  | 'accept-case'
  | 'return-for-correction'
  | 'resubmit-application'
  | 'record-review-opinion'
  | 'approve-award'
  | 'reject-application'
  | 'disburse-award'
  | 'record-external-award'
  | 'import-beneficiary-register'
  | 'record-publicity-objection'
  | 'decide-publicity-objection'
  | 'record-recheck'
  | 'revoke-award'
  | 'record-repayment'
  | 'open-proactive-award'
  | 'confirm-declarations';

function deny(actor: Actor, step: WorkflowStep, why: string): never {
  throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not ${step.replace(/-/g, ' ')}: ${why}`);
}

function requireRole(actor: Actor, step: WorkflowStep, roles: readonly string[]): void {
  if (!roles.includes(actor.role)) deny(actor, step, `this step is for the role ${roles.join(' or ')}`);
}

/**
 * Throws `Forbidden` (403) unless `actor` may take `step`. `program` is the case's program parameters
 * (lead and cooperating units); `beneficiaryUscc` the case's or the submission's applicant.
 */
export function assertCanAct(actor: Actor, step: WorkflowStep, program?: ProgramUnits | null, beneficiaryUscc?: string): void {
  if (isAuditor(actor)) deny(actor, step, 'AUDIT reads everything and changes nothing');
  if (isAdministrator(actor)) deny(actor, step, 'ADMIN manages accounts and acts on no case');
  const lead = (): void => {
    if (!program) throw new Error(`assertCanAct(${step}) needs the program's units`);
    if (actor.unit !== program.leadUnit) deny(actor, step, `only the lead unit ${program.leadUnit} of this program takes this step`);
  };
  switch (step) {
    case 'import-customs-stats':
      if (actor.unit !== CUSTOMS_UNIT) deny(actor, step, 'customs statistics are imported by CUS');
      return requireRole(actor, step, ['officer', 'head']);
    case 'allocate-fund-budget':
      if (actor.unit !== FUND_UNIT) deny(actor, step, 'the special fund is appropriated by FIN');
      return requireRole(actor, step, ['head']);
    case 'record-external-award':
      if (actor.unit !== COMMERCE_UNIT) deny(actor, step, 'municipal foreign-trade awards are recorded by COM');
      return requireRole(actor, step, ['officer', 'head']);
    case 'import-beneficiary-register':
      if (actor.unit !== COMMERCE_UNIT) deny(actor, step, 'the beneficiary register is imported by COM');
      return requireRole(actor, step, ['officer', 'head']);
    case 'submit-application':
    case 'resubmit-application':
      if (actor.unit === 'APPLICANT') {
        if (!actor.uscc || actor.uscc !== beneficiaryUscc) {
          deny(actor, step, `an applicant acts only for its own USCC ${actor.uscc ?? '(none in token)'}`);
        }
        return;
      }
      if (actor.unit !== COMMERCE_UNIT) deny(actor, step, 'applications come from the applicant or a COM officer');
      return requireRole(actor, step, ['officer']);
    case 'accept-case':
    case 'return-for-correction':
      lead();
      return requireRole(actor, step, ['officer']);
    case 'reject-application':
      lead();
      return requireRole(actor, step, ['officer', 'head']);
    case 'approve-award':
      lead();
      return requireRole(actor, step, ['head']);
    case 'record-review-opinion':
      if (!program) throw new Error("assertCanAct(record-review-opinion) needs the program's units");
      if (!program.cooperatingUnits.includes(actor.unit)) {
        deny(actor, step, `reviews are given by the cooperating units ${program.cooperatingUnits.join(', ')}`);
      }
      return requireRole(actor, step, ['officer']);
    case 'disburse-award':
      if (actor.unit !== FUND_UNIT) deny(actor, step, 'awards are paid from the special fund by FIN');
      return requireRole(actor, step, ['officer']);
    case 'record-publicity-objection':
      // 公示 objections reach COM, who records them with their source.
      if (actor.unit !== COMMERCE_UNIT) deny(actor, step, 'objections during the publicity are recorded by COM');
      return requireRole(actor, step, ['officer', 'head']);
    case 'decide-publicity-objection':
    case 'record-recheck':
      lead();
      return requireRole(actor, step, ['head']);
    case 'revoke-award':
      // 骗取: the special fund's head revokes, whatever the program's lead unit.
      if (actor.unit !== FUND_UNIT) deny(actor, step, 'an award obtained by fraud is revoked by the FIN head');
      return requireRole(actor, step, ['head']);
    case 'record-repayment':
      if (actor.unit !== FUND_UNIT) deny(actor, step, 'money returned to the special fund is recorded by FIN');
      return requireRole(actor, step, ['officer']);
    case 'open-proactive-award':
      // 免申即享: COM, who may already open a case on an applicant's behalf, opens those the statistics prove.
      if (actor.unit !== COMMERCE_UNIT) deny(actor, step, '免申 cases are opened by COM');
      return requireRole(actor, step, ['officer', 'head']);
    case 'confirm-declarations':
      // What the enterprise declares is its own word: only the enterprise itself confirms it.
      if (actor.unit !== 'APPLICANT' || !actor.uscc || actor.uscc !== beneficiaryUscc) {
        deny(actor, step, `the declarations are confirmed by the enterprise ${beneficiaryUscc ?? ''} itself`);
      }
      return;
  }
}
