import { beneficiaryDecider } from './beneficiary/beneficiary.decider';
import type { BeneficiaryCommand } from './beneficiary/beneficiary.commands';
import type { CaseCommand } from './case/case.commands';
import { caseDecider } from './case/case.decider';
import type { CaseEvent } from './case/case.events';
import { customsDecider } from './customs/customs.decider';
import type { CustomsRowInput } from './customs/customs.commands';
import { InvalidCustomsRows } from './customs/customs.errors';
import { AmountAboveLimit, deciderSpec } from './decider';
import { fundDecider } from './fund/fund.decider';
import type { FundEvent } from './fund/fund.events';
import { AMOUNT_LIMITS } from './shared/amount-limits';
import { Money } from './shared/money';
import { usccCheckCharacter } from './shared/uscc';

/**
 * Amounts are bounded where they enter (docs/limits.md, "Amounts"): each decider refuses an amount above
 * its limit with `AmountAboveLimit` (422 `amount-above-limit`) naming the field and the limit, and
 * accepts one at the limit exactly.
 */
const ENTERPRISE = '91341500MA2N00001' + usccCheckCharacter('91341500MA2N00001');
const cent = (m: Money): string => Money.ofMinor(m.minor + 1n, m.currency).toString();
const CLAIM_MAX = AMOUNT_LIMITS.claimAmountCny.max.toString();
const FUND_MAX = AMOUNT_LIMITS.fundYearCny.max.toString();
const USD_MAX = AMOUNT_LIMITS.customsFigureUsd.max.toString();

describe('the limits themselves', () => {
  it('are the documented values, each far inside what a read model and a report hold exactly (2^53 fen)', () => {
    expect(Object.fromEntries(Object.values(AMOUNT_LIMITS).map((l) => [l.name, `${l.max.toString()} ${l.max.currency}`]))).toEqual({
      'claim-amount': '10000000000.00 CNY',
      'claim-fees-total': '10000000000.00 CNY',
      'customs-figure': '1000000000000.00 USD',
      'computed-award': '1000000000000.00 CNY',
      'fund-year': '100000000000.00 CNY',
      'external-award': '10000000000.00 CNY',
    });
    for (const l of Object.values(AMOUNT_LIMITS)) expect(l.max.minor < 2n ** 53n).toBe(true);
  });
});

describe('claims of an application', () => {
  const given = deciderSpec(caseDecider);
  const submit = (program: string, claims: Record<string, unknown>): CaseCommand => ({
    type: 'SubmitApplication',
    data: {
      applicationId: 'app-1',
      program,
      year: 2019,
      beneficiary: { uscc: ENTERPRISE, kind: program.startsWith('P3') ? 'platform' : 'enterprise' },
      claims: claims as never,
      submittedBy: 'applicant-1',
    },
  });

  it('accepts every money figure at its limit', () => {
    const events = given([])
      .when(
        submit('P2a', {
          promotesOnThirdPartyPlatform: true,
          platformFeesCny: [{ amountCny: CLAIM_MAX, invoiceRef: 'INV-1' }],
          statedCustoms: [{ year: 2019, totalExportUsd: USD_MAX }],
        }),
      )
      .events();
    expect(events.map((e) => e.type)).toEqual(['ApplicationSubmitted']);
    expect(
      given([])
        .when(submit('P3a', { investmentCny: CLAIM_MAX, operatingSince: '2017-01-01', servedEnterprises: [] }))
        .events(),
    ).toHaveLength(1);
  });

  it('refuses a P2a fee one fen above the limit, naming the fee and the limit', () => {
    given([])
      .when(submit('P2a', { promotesOnThirdPartyPlatform: true, platformFeesCny: ['120000.00', { amountCny: cent(AMOUNT_LIMITS.claimAmountCny.max) }] }))
      .thenThrows(AmountAboveLimit, {
        code: 'amount-above-limit',
        httpStatus: 422,
        field: 'claims.platformFeesCny[1].amountCny',
        amount: '10000000000.01',
        limit: CLAIM_MAX,
        currency: 'CNY',
        limitName: 'claim-amount',
      });
  });

  it('refuses the issue\'s P2a claim of "99999999999999999999.99" yuan, which would overflow the read side\'s 64-bit fen', () => {
    const error = given([])
      .when(submit('P2a', { promotesOnThirdPartyPlatform: true, platformFeesCny: ['99999999999999999999.99'] }))
      .thenThrows(AmountAboveLimit, { field: 'claims.platformFeesCny[0]', limit: CLAIM_MAX });
    expect(error.message).toBe('claims.platformFeesCny[0]: 99999999999999999999.99 CNY is above the limit of 10000000000.00 CNY for one amount of a claim');
  });

  it('refuses fees each within the limit that together exceed it, naming the fee list and the total', () => {
    given([])
      .when(submit('P2a', { promotesOnThirdPartyPlatform: true, platformFeesCny: [CLAIM_MAX, '0.01'] }))
      .thenThrows(AmountAboveLimit, { field: 'claims.platformFeesCny', amount: '10000000000.01', limitName: 'claim-fees-total' });
  });

  it('refuses a P3a investment and a stated customs figure above their limits, listing both', () => {
    const error = given([])
      .when(
        submit('P3a', {
          investmentCny: '10000000000.01',
          operatingSince: '2017-01-01',
          servedEnterprises: [],
          statedCustoms: [{ year: 2019, platformLocalOnlineTradeUsd: cent(AMOUNT_LIMITS.customsFigureUsd.max) }],
        }),
      )
      .thenThrows(AmountAboveLimit, { field: 'claims.investmentCny' }) as AmountAboveLimit;
    expect(error.errors.map((e) => [e.field, e.limit, e.currency])).toEqual([
      ['claims.investmentCny', CLAIM_MAX, 'CNY'],
      ['claims.statedCustoms[0].platformLocalOnlineTradeUsd', USD_MAX, 'USD'],
    ]);
  });

  it('checks a figure any program carries, needed by the program or not (the case stores it)', () => {
    given([])
      .when(submit('P1', { otherMunicipalTradeAward: false, investmentCny: '20000000000.00' }))
      .thenThrows(AmountAboveLimit, { field: 'claims.investmentCny' });
  });

  it('refuses corrected claims above a limit on resubmission', () => {
    const submitted = given([])
      .when(submit('P2a', { promotesOnThirdPartyPlatform: true, platformFeesCny: ['1.00'] }))
      .events();
    const returned: CaseEvent = {
      type: 'ApplicationReturned',
      data: { applicationId: 'app-1', reason: 'invoices', fromStatus: 'submitted', returnedBy: 'fin-officer' },
    };
    given([...submitted, returned])
      .when({
        type: 'ResubmitApplication',
        data: { claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: ['10000000000.01'] } as never, resubmittedBy: 'a' },
      })
      .thenThrows(AmountAboveLimit, { field: 'claims.platformFeesCny[0]' });
  });

  it('refuses an approval whose computed award is above the limit of a computed award', () => {
    const submitted = given([]).when(submit('P2b', {})).events();
    const ready: CaseEvent[] = [
      { type: 'CaseAccepted', data: { applicationId: 'app-1', round: 1, reviews: [], acceptedBy: 'fin-officer' } },
      { type: 'ApplicationReadyForDecision', data: { applicationId: 'app-1', round: 1 } },
    ];
    const approve = (computedCny: string): CaseCommand => ({
      type: 'ApproveAward',
      data: {
        amountCny: '200000.00',
        computedCny,
        approvableCny: '200000.00',
        trace: [{ step: 'computed', value: computedCny }],
        policyVersion: 'LZB-2019-4',
        customsEventIds: [],
        reservationId: 'r',
        commitmentId: 'c',
        approvedBy: 'fin-head',
      },
    });
    expect(
      given([...submitted, ...ready])
        .when(approve(AMOUNT_LIMITS.computedAwardCny.max.toString()))
        .events()[0].type,
    ).toBe('AwardApproved');
    given([...submitted, ...ready])
      .when(approve(cent(AMOUNT_LIMITS.computedAwardCny.max)))
      .thenThrows(AmountAboveLimit, { field: 'computedCny', limitName: 'computed-award' });
  });
});

describe('appropriations of the special fund', () => {
  const given = deciderSpec(fundDecider);
  const allocate = (amountCny: string) => ({ type: 'AllocateFundBudget' as const, data: { year: 2019, amountCny } });
  const allocated = (amountCny: string): FundEvent => ({ type: 'FundBudgetAllocated', data: { year: 2019, amountCny } });

  it("accepts one appropriation of the whole year's limit", () => {
    expect(
      given([])
        .when(allocate(FUND_MAX))
        .then([allocated(FUND_MAX)]),
    ).toMatchObject({ appropriationCny: FUND_MAX, availableCny: FUND_MAX });
  });

  it("refuses one appropriation above the limit (the issue's ¥99,999,999,999,999,999,999,999.99)", () => {
    given([]).when(allocate('99999999999999999999999999.99')).thenThrows(AmountAboveLimit, {
      field: 'amountCny',
      amount: '99999999999999999999999999.99',
      limit: FUND_MAX,
      limitName: 'fund-year',
    });
  });

  it('refuses an appropriation that would take the year past the limit, saying what is appropriated already', () => {
    const error = given([allocated('60000000000.00')])
      .when(allocate('40000000000.01'))
      .thenThrows(AmountAboveLimit, { field: 'amountCny', amount: '100000000000.01', limit: FUND_MAX });
    expect(error.message).toBe(
      "amountCny: with the 60000000000.00 CNY already appropriated, the appropriations of 2019 would come to 100000000000.01 CNY, which is above the limit of 100000000000.00 CNY for the special fund's appropriations of one year together",
    );
    given([allocated('60000000000.00')])
      .when(allocate('40000000000.00'))
      .then([allocated('40000000000.00')]);
  });

  it("refuses the issue's two appropriations of ¥90,000,000,000,000,000.01 at the first", () => {
    given([]).when(allocate('90000000000000000.01')).thenThrows(AmountAboveLimit, { field: 'amountCny' });
  });
});

describe('the beneficiary ledger', () => {
  const given = deciderSpec(beneficiaryDecider);
  const external = (amountCny: string): BeneficiaryCommand => ({
    type: 'RecordExternalAward',
    data: { uscc: ENTERPRISE, year: 2019, ref: 'LSW-1', amountCny, recordedBy: 'com-officer' },
  });

  it('records a municipal foreign-trade award at the limit and refuses one above it', () => {
    expect(given([]).when(external(AMOUNT_LIMITS.externalAwardCny.max.toString())).events()).toHaveLength(1);
    given([]).when(external('10000000000.01')).thenThrows(AmountAboveLimit, { field: 'amountCny', limitName: 'external-award' });
  });

  it('refuses a reservation requesting more than any rule can compute', () => {
    const reserve = (requestedCny: string): BeneficiaryCommand => ({
      type: 'ReserveAward',
      data: { uscc: ENTERPRISE, reservationId: 'r1', applicationId: 'a1', program: 'P2b', year: 2019, requestedCny },
    });
    const [held] = given([]).when(reserve(AMOUNT_LIMITS.computedAwardCny.max.toString())).events();
    // At the limit it is held, cut to the article's cap (四（二）: ¥200,000 a year).
    expect(held).toMatchObject({ type: 'AwardReserved', data: { computedCny: '1000000000000.00', amountCny: '200000.00' } });
    given([]).when(reserve('1000000000000.01')).thenThrows(AmountAboveLimit, { field: 'requestedCny', limitName: 'computed-award' });
  });
});

describe('customs statistics', () => {
  const given = deciderSpec(customsDecider);
  const row = (over: Partial<CustomsRowInput> = {}): CustomsRowInput => ({
    year: 2019,
    uscc: ENTERPRISE,
    name: '企业甲',
    export9610Usd: '0.00',
    cbecImportUsd: '0.00',
    cbecExportUsd: '0.00',
    totalExportUsd: '0.00',
    platformLocalOnlineTradeUsd: null,
    ...over,
  });
  const importRows = (rows: CustomsRowInput[]) => ({ type: 'ImportCustomsStats' as const, data: { year: 2019, batchId: 'b1', rows } });

  it('imports figures at the limit', () => {
    const figures = { export9610Usd: USD_MAX, cbecImportUsd: USD_MAX, cbecExportUsd: USD_MAX, totalExportUsd: USD_MAX, platformLocalOnlineTradeUsd: USD_MAX };
    expect(
      given([])
        .when(importRows([row(figures)]))
        .events(),
    ).toEqual([expect.objectContaining({ type: 'CustomsStatisticsImported', data: expect.objectContaining(figures) })]);
  });

  it('refuses the whole batch for a figure above the limit, each bad figure listed by row and field with the limit', () => {
    given([])
      .when(
        importRows([
          row(),
          row({ uscc: '91341500MA2N00002' + usccCheckCharacter('91341500MA2N00002'), totalExportUsd: '1000000000000.01', platformLocalOnlineTradeUsd: '1e30' }),
        ]),
      )
      .thenThrows(InvalidCustomsRows, {
        problems: [
          {
            row: 1,
            field: 'totalExportUsd',
            detail: '1000000000000.01 USD is above the limit of 1000000000000.00 USD for one customs figure of one enterprise and year',
          },
          { row: 1, field: 'platformLocalOnlineTradeUsd', detail: '"1e30" is not a decimal amount with at most two decimals' },
        ],
      });
  });
});
