import { divisionLabel, formatMoney, label, type Locale } from '@cbec/domain';

/**
 * The CSV is read by people in a spreadsheet: after each report's own columns (codes and decimal strings,
 * as the JSON has them) come their names and amounts for people, from the one catalogue
 * (docs/chinese.md): programs and units by name, counties by name (六安市's divisions), ¥ amounts.
 */
type Row = Record<string, unknown>;
type Companion = [column: string, render: (row: Row, locale: Locale) => string];

const yuan =
  (key: string) =>
  (row: Row): string =>
    formatMoney(String(row[key] ?? ''), 'CNY');

export const PEOPLE_COLUMNS: Record<string, Companion[]> = {
  awards: [
    ['programName', (r, l) => label('program', String(r.program), l)],
    ['countyName', (r, l) => divisionLabel(String(r.county), l)],
    ['approvedText', yuan('approvedCny')],
    ['disbursedText', yuan('disbursedCny')],
  ],
  funds: [
    ['appropriatedText', yuan('appropriatedCny')],
    ['committedText', yuan('committedCny')],
    ['paidText', yuan('paidCny')],
    ['committedUnpaidText', yuan('committedUnpaidCny')],
    ['availableText', yuan('availableCny')],
  ],
  throughput: [['programName', (r, l) => label('program', String(r.program), l)]],
  sequels: [
    ['programName', (r, l) => label('program', String(r.program), l)],
    ['countyName', (r, l) => divisionLabel(String(r.county), l)],
    ['recoveredText', yuan('recoveredCny')],
    ['outstandingText', yuan('outstandingCny')],
  ],
  overdue: [
    ['unitName', (r, l) => label('unit', String(r.unit), l)],
    ['programName', (r, l) => label('program', String(r.program), l)],
  ],
};

/** The report's rows with the companion columns, and the full column list (own columns first). */
export function withPeopleColumns(report: string, rows: Row[], columns: string[], locale: Locale): { rows: Row[]; columns: string[] } {
  const companions = PEOPLE_COLUMNS[report] ?? [];
  return {
    rows: rows.map((row) => ({ ...row, ...Object.fromEntries(companions.map(([column, render]) => [column, render(row, locale)])) })),
    columns: [...columns, ...companions.map(([column]) => column)],
  };
}
