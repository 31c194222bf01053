import { JwtService } from '@nestjs/jwt';
import { Actor } from '@cbec/event-store';
import { Forbidden, canReadCase, mintToken, verifyToken, InvalidTokenRequest } from '@cbec/platform';
import { assertCanAct } from './authorization';

const program = { leadUnit: 'FIN', cooperatingUnits: ['COM', 'CUS', 'PBC'] };
const USCC = '91341500MA2010017C';
const OTHER = '91341500MA20100257';
const as = (unit: string, role: string, uscc?: string): Actor => ({ user: `${unit}-${role}`, unit, role, ...(uscc ? { uscc } : {}) });

describe('who may act on which step', () => {
  it('lets the lead unit head approve and refuses its officer', () => {
    expect(() => assertCanAct(as('FIN', 'head'), 'approve-award', program)).not.toThrow();
    expect(() => assertCanAct(as('FIN', 'officer'), 'approve-award', program)).toThrow(/role head/);
  });

  it('lets only a lead unit officer accept or return a case', () => {
    expect(() => assertCanAct(as('FIN', 'officer'), 'accept-case', program)).not.toThrow();
    expect(() => assertCanAct(as('COM', 'officer'), 'accept-case', program)).toThrow(/lead unit FIN/);
    expect(() => assertCanAct(as('FIN', 'head'), 'return-for-correction', program)).toThrow(Forbidden);
  });

  it('takes review opinions from cooperating unit officers only', () => {
    expect(() => assertCanAct(as('CUS', 'officer'), 'record-review-opinion', program)).not.toThrow();
    expect(() => assertCanAct(as('FIN', 'officer'), 'record-review-opinion', program)).toThrow(/cooperating units/);
    expect(() => assertCanAct(as('CTY-341502', 'officer'), 'record-review-opinion', program)).toThrow(Forbidden);
  });

  it('lets an applicant submit and resubmit only for its own USCC', () => {
    expect(() => assertCanAct(as('APPLICANT', 'applicant', USCC), 'submit-application', null, USCC)).not.toThrow();
    expect(() => assertCanAct(as('APPLICANT', 'applicant', USCC), 'submit-application', null, OTHER)).toThrow(/own USCC/);
    expect(() => assertCanAct(as('APPLICANT', 'applicant', USCC), 'resubmit-application', program, OTHER)).toThrow(Forbidden);
  });

  it('never lets AUDIT change anything, whatever its role', () => {
    for (const step of ['approve-award', 'allocate-fund-budget', 'import-customs-stats', 'submit-application'] as const) {
      expect(() => assertCanAct(as('AUDIT', 'auditor'), step, program, USCC)).toThrow(/changes nothing/);
    }
  });

  it('never lets ADMIN act on a case or read one: it manages accounts only', () => {
    for (const step of ['approve-award', 'accept-case', 'allocate-fund-budget', 'submit-application', 'disburse-award'] as const) {
      expect(() => assertCanAct(as('ADMIN', 'admin'), step, program, USCC)).toThrow(/acts on no case/);
    }
    expect(canReadCase(as('ADMIN', 'admin'), { ...program, beneficiaryUscc: USCC })).toBe(false);
  });

  it('keeps customs imports with CUS, appropriations with the FIN head, external awards with COM, payments with FIN officers', () => {
    expect(() => assertCanAct(as('CUS', 'officer'), 'import-customs-stats')).not.toThrow();
    expect(() => assertCanAct(as('FIN', 'head'), 'import-customs-stats')).toThrow(Forbidden);
    expect(() => assertCanAct(as('FIN', 'head'), 'allocate-fund-budget')).not.toThrow();
    expect(() => assertCanAct(as('FIN', 'officer'), 'allocate-fund-budget')).toThrow(Forbidden);
    expect(() => assertCanAct(as('COM', 'officer'), 'record-external-award')).not.toThrow();
    expect(() => assertCanAct(as('FIN', 'officer'), 'disburse-award', program)).not.toThrow();
    expect(() => assertCanAct(as('COM', 'officer'), 'disburse-award', program)).toThrow(Forbidden);
  });

  it('shows a case to its parties and AUDIT, and to no other applicant', () => {
    const parties = { ...program, beneficiaryUscc: USCC };
    expect(canReadCase(as('AUDIT', 'auditor'), parties)).toBe(true);
    expect(canReadCase(as('PBC', 'officer'), parties)).toBe(true);
    expect(canReadCase(as('APPLICANT', 'applicant', USCC), parties)).toBe(true);
    expect(canReadCase(as('APPLICANT', 'applicant', OTHER), parties)).toBe(false);
    expect(canReadCase(as('CTY-341502', 'officer'), parties)).toBe(false);
  });
});

describe('tokens', () => {
  const secret = 'a'.repeat(40);
  it('round-trips an identity', () => {
    const token = mintToken(secret, { sub: 'li', unit: 'APPLICANT', role: 'applicant', uscc: USCC });
    expect(verifyToken(new JwtService({ secret }), token)).toEqual({ user: 'li', unit: 'APPLICANT', role: 'applicant', uscc: USCC });
  });

  it('refuses to mint incoherent identities, naming the field', () => {
    expect(() => mintToken(secret, { sub: 'x', unit: 'TAX', role: 'head' })).toThrow(/unit/);
    expect(() => mintToken(secret, { sub: 'x', unit: 'FIN', role: 'boss' })).toThrow(/role/);
    expect(() => mintToken(secret, { sub: 'x', unit: 'APPLICANT', role: 'applicant' })).toThrow(InvalidTokenRequest);
    expect(() => mintToken(secret, { sub: 'x', unit: 'APPLICANT', role: 'applicant', uscc: '91341500MA2010017X' })).toThrow(/check character/);
    expect(() => mintToken(secret, { sub: 'x', unit: 'FIN', role: 'applicant' })).toThrow(/applicant/);
    expect(() => mintToken(secret, { sub: 'x', unit: 'FIN', role: 'admin' })).toThrow(/"admin" belongs to the unit ADMIN/);
  });

  it('rejects a token signed with another secret or expired', () => {
    const foreign = mintToken('b'.repeat(40), { sub: 'x', unit: 'FIN', role: 'head' });
    expect(() => verifyToken(new JwtService({ secret }), foreign)).toThrow(/signature/);
    const expired = mintToken(secret, { sub: 'x', unit: 'FIN', role: 'head' }, -10);
    expect(() => verifyToken(new JwtService({ secret }), expired)).toThrow(/expired/);
  });
});
