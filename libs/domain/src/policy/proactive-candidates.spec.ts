import { findProactiveCandidates, ProactiveCustomsRecord } from './proactive-candidates';
import { getPolicy } from './policy';
import { enterpriseUscc, PLATFORM } from './testing/case-json';

/** 免申即享: which enterprises the customs statistics alone prove an award for, and with which computation. */
describe('findProactiveCandidates (免申即享)', () => {
  const policy = getPolicy();
  const A = enterpriseUscc(101);
  const B = enterpriseUscc(102);
  const OUT = enterpriseUscc(104, '340100'); // registered in 合肥 by its USCC

  const record = (year: number, uscc: string, f: Partial<ProactiveCustomsRecord> = {}): ProactiveCustomsRecord => ({
    year,
    uscc,
    source: `customs-event:${year}-${uscc}`,
    export9610Usd: '0.00',
    cbecImportUsd: '0.00',
    cbecExportUsd: '0.00',
    totalExportUsd: '0.00',
    platformLocalOnlineTradeUsd: null,
    ...f,
  });
  const search = (customs: ProactiveCustomsRecord[], more: Partial<Parameters<typeof findProactiveCandidates>[0]> = {}) =>
    findProactiveCandidates({ year: 2019, policy, customs, customsYears: [2018, 2019], cases: [], ...more });
  const found = (list: ReturnType<typeof findProactiveCandidates>) =>
    list.map((c) => `${c.uscc === A ? 'A' : c.uscc === B ? 'B' : c.uscc} ${c.program} ${c.amountCny}`);

  it('P1: 9610 exports at or above US$50,000 in the award year; the municipal-award declaration is pending, assumed none', () => {
    const list = search([record(2019, A, { export9610Usd: '50000.00' }), record(2019, B, { export9610Usd: '49999.99' })]);
    expect(found(list)).toEqual(['A P1 50000.00']);
    expect(list[0]).toMatchObject({ declarationsPending: ['otherMunicipalTradeAward'], assumed: { otherMunicipalTradeAward: false }, computedCny: '50000.00' });
    expect(list[0].trace.map((t) => t.code)).toContain('p1-threshold');
    expect(list[0].trace.some((t) => t.source === `customs-event:2019-${A}`)).toBe(true);
  });

  it('P2b: the increment over Y-1 in whole steps; a new enterprise (no trade in Y-1) has none; no declaration pending', () => {
    const list = search([
      record(2018, A, { cbecExportUsd: '200000.00' }),
      record(2019, A, { cbecExportUsd: '349999.99' }),
      record(2019, B, { cbecExportUsd: '900000.00' }),
    ]);
    expect(found(list)).toEqual(['A P2b 4000.00']);
    expect(list[0].declarationsPending).toEqual([]);
  });

  it('P2a: growth of at least 10% makes a candidate pending the fees (no amount); less growth does not', () => {
    const list = search([
      record(2018, A, { totalExportUsd: '1000000.00' }),
      record(2019, A, { totalExportUsd: '1100000.00' }),
      record(2018, B, { totalExportUsd: '1000000.00' }),
      record(2019, B, { totalExportUsd: '1099900.00' }),
    ]);
    expect(found(list)).toEqual(['A P2a null']);
    expect(list[0]).toMatchObject({ declarationsPending: ['promotesOnThirdPartyPlatform', 'platformFeesCny'], amountCny: null });
    expect(list[0].trace.find((t) => t.code === 'export-growth')?.params).toMatchObject({ met: true });
  });

  it('not a candidate: a case for that program and year exists (any status), a platform, an enterprise registered outside the city', () => {
    const big = { export9610Usd: '60000.00' };
    const list = search(
      [record(2019, A, big), record(2019, B, big), record(2019, PLATFORM, { ...big, platformLocalOnlineTradeUsd: '600000.00' }), record(2019, OUT, big)],
      {
        cases: [
          { uscc: A, program: 'P1', year: 2019 },
          { uscc: B, program: 'P1', year: 2018 },
        ],
      },
    );
    expect(found(list)).toEqual(['B P1 50000.00']);
  });

  it('the ledger decides as for an approval: P1 awarded in an earlier year is once ever; the register over the USCC prefix', () => {
    const customs = [record(2019, A, { export9610Usd: '60000.00' }), record(2019, OUT, { export9610Usd: '60000.00' })];
    const list = search(customs, {
      ledgers: {
        [A]: { history: [{ program: 'P1', year: 2018, amountCny: '50000.00', ref: 'earlier' }] },
        [OUT]: { history: [], registered: { code: '341502', source: 'register:OUT', byRegister: true } },
      },
    });
    expect(found(list)).toEqual([`${OUT} P1 50000.00`]);
    expect(search(customs, { only: [A] }).map((c) => c.uscc)).toEqual([A]);
  });

  it('a year whose statistics were never imported is unknown: P2b and P2a need Y-1, so no candidate', () => {
    expect(found(search([record(2019, A, { cbecExportUsd: '900000.00', totalExportUsd: '900000.00' })], { customsYears: [2019] }))).toEqual([]);
  });
});
