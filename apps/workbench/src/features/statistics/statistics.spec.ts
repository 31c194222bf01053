import { csvHref, totalsBy, type StatisticsRow } from './statistics-api';

const row = (county: string, program: string, approvedCny: string, disbursedCny: string): StatisticsRow => ({
  year: 2019,
  program,
  division: '341502',
  county,
  awards: 1,
  approvedCny,
  disbursedCny,
});

describe('统计', () => {
  it('sums by county exactly, in fen', () => {
    const rows = [row('金安区', 'P2a', '0.10', '0.00'), row('金安区', 'P1', '0.20', '0.20'), row('裕安区', 'P1', '50000.00', '0.00')];
    expect(totalsBy(rows, (r) => r.county)).toEqual([
      { key: '金安区', approved: 0.3, disbursed: 0.2 },
      { key: '裕安区', approved: 50000, disbursed: 0 },
    ]);
  });

  it('downloads the CSV of the rows shown: the same filters', () => {
    expect(csvHref({})).toBe('/api/v1/statistics/awards?format=csv');
    expect(csvHref({ program: 'P2a', year: 2019 })).toBe('/api/v1/statistics/awards?format=csv&program=P2a&year=2019');
  });
});
