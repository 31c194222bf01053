import { parse } from 'csv-parse/sync';
import { isDivisionCode, Uscc } from '@cbec/domain';

/**
 * The beneficiary register file (docs/imports.md, "The beneficiary register"): CSV, UTF-8 (a BOM is
 * skipped), one row per registry extract: `uscc,division,date,documentNo,source`, or the same columns
 * under their Chinese headers. Every row is checked before anything is stored; any bad row refuses the
 * file, each bad row named.
 */
export const REGISTER_CSV_HEADER = ['uscc', 'division', 'date', 'documentNo', 'source'] as const;
const CHINESE_HEADER: Readonly<Record<string, (typeof REGISTER_CSV_HEADER)[number]>> = {
  统一社会信用代码: 'uscc',
  行政区划代码: 'division',
  登记日期: 'date',
  文号: 'documentNo',
  来源: 'source',
};

/** At most this many rows in one file: the register of a city, not a bulk load of the country's. */
export const MAX_REGISTER_ROWS = 20_000;

export interface RegisterRow {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  uscc: string;
  division: string;
  date: string;
  documentNo: string;
  source: string;
}

export interface RowProblem {
  field: string;
  reason: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The rows of `content`, or every problem found (line and column named). */
export function readRegisterRows(content: Buffer): { rows: RegisterRow[]; problems: RowProblem[] } {
  let records: string[][];
  try {
    records = parse(content, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    return { rows: [], problems: [{ field: '(file)', reason: `not a CSV file: ${(e as Error).message}` }] };
  }
  if (records.length === 0) return { rows: [], problems: [{ field: '(file)', reason: `empty: expected the header ${REGISTER_CSV_HEADER.join(',')}` }] };
  const header = records[0].map((h) => CHINESE_HEADER[h] ?? h);
  const missing = REGISTER_CSV_HEADER.filter((h) => !header.includes(h));
  if (missing.length > 0) {
    return { rows: [], problems: [{ field: 'line 1', reason: `the header lacks ${missing.join(', ')}; expected ${REGISTER_CSV_HEADER.join(',')}` }] };
  }
  if (records.length - 1 > MAX_REGISTER_ROWS) {
    return { rows: [], problems: [{ field: '(file)', reason: `${records.length - 1} rows; at most ${MAX_REGISTER_ROWS} in one file` }] };
  }
  const col = (name: (typeof REGISTER_CSV_HEADER)[number]) => header.indexOf(name);
  const rows: RegisterRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, RegisterRow>();
  records.slice(1).forEach((record, i) => {
    const line = i + 2;
    const cell = (name: (typeof REGISTER_CSV_HEADER)[number]) => record[col(name)] ?? '';
    const bad = (name: string, reason: string) => problems.push({ field: `line ${line}.${name}`, reason });
    let uscc = '';
    try {
      uscc = Uscc.parse(cell('uscc'), 'uscc').value;
    } catch (e) {
      bad('uscc', (e as Error).message);
    }
    const division = cell('division');
    if (!isDivisionCode(division)) bad('division', `must be a GB/T 2260 division code of six digits such as 341502, got "${division}"`);
    const date = cell('date');
    if (!isCalendarDate(date)) bad('date', `must be a date YYYY-MM-DD, got "${date}"`);
    const documentNo = cell('documentNo');
    if (documentNo === '') bad('documentNo', 'is empty: the registry extract must be named');
    const source = cell('source');
    if (source === '') bad('source', 'is empty: say which registry the extract is from');
    const row = { line, uscc, division, date, documentNo, source };
    const key = `${uscc}\u001f${documentNo}`;
    const twin = seen.get(key);
    if (twin && (twin.division !== division || twin.date !== date || twin.source !== source)) {
      bad('documentNo', `line ${twin.line} gives the same extract of ${uscc} other data`);
    }
    seen.set(key, row);
    rows.push(row);
  });
  return { rows, problems };
}
