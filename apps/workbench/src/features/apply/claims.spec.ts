import { claimsFor, MONEY, usccProblem, valuesFrom } from './claims';

describe('申报 checks what the API checks before sending', () => {
  it('accepts a USCC whose check character is right, and names the right one otherwise', () => {
    expect(usccProblem('91341502MA2DEM001K')).toBeNull();
    expect(usccProblem('91341502MA2DEM001A')).toBe('统一社会信用代码校验位有误（应为 K）');
    expect(usccProblem('91341502MA2DEM001')).toMatch(/18位/);
    expect(usccProblem('91ABCDEFMA2DEM001K')).toMatch(/行政区划代码/);
  });

  it('takes money in yuan with at most two decimals', () => {
    expect(['1', '120000.00', '0.5'].every((m) => MONEY.test(m))).toBe(true);
    expect(['1.234', '-1', '1,000', '¥100', ''].some((m) => MONEY.test(m))).toBe(false);
  });

  it('builds each program’s required claims', () => {
    expect(claimsFor('P1', {})).toEqual({ otherMunicipalTradeAward: false });
    expect(claimsFor('P2a', { promotesOnThirdPartyPlatform: true, platformFees: [{ amount: '120000.00' }, { amount: '3.5', invoiceRef: 'INV-2' }] })).toEqual({
      promotesOnThirdPartyPlatform: true,
      platformFeesCny: ['120000.00', { amountCny: '3.5', invoiceRef: 'INV-2' }],
    });
    expect(
      claimsFor('P3a', {
        investmentCny: '3000000.00',
        operatingSince: '2018-01-01',
        servedEnterprises: '91341502MA2DEM001K',
        serviceEvidence: { 'customs-clearance': ' 协议-1 ', logistics: '', 'fx-settlement': '协议-5' },
      }),
    ).toEqual({
      investmentCny: '3000000.00',
      operatingSince: '2018-01-01',
      servedEnterprises: ['91341502MA2DEM001K'],
      // 四（三）: a service counts with its evidence; a blank one is not declared.
      services: [
        { service: 'customs-clearance', evidence: '协议-1' },
        { service: 'fx-settlement', evidence: '协议-5' },
      ],
    });
    expect(claimsFor('P3b', { recruits: ' 91341502MA2DEM001K \n\n' })).toEqual({ recruits: ['91341502MA2DEM001K'] });
    expect(claimsFor('P4', { documentNo: '皖商〔2019〕1号', recognitionDate: '2019-06-30' })).toEqual({
      provincialRecognition: { documentNo: '皖商〔2019〕1号', date: '2019-06-30' },
    });
  });

  it('starts 重新提交 of a P3a case from the services it declared, by code or by Chinese name', () => {
    expect(
      valuesFrom({ services: [{ service: 'customs-clearance', evidence: 'A' }, { service: '退税', evidence: 'B' }, { service: '融资' }] }).serviceEvidence,
    ).toEqual({
      'customs-clearance': 'A',
      'tax-refund': 'B',
    });
  });
});
