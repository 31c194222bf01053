import { parse } from 'csv-parse/sync';
import { CustomsRowInput, Money, Uscc } from '@cbec/domain';

/** API.md's import format, in this order. */
export const CUSTOMS_CSV_HEADER = [
  'year',
  'uscc',
  'name',
  'export_9610_usd',
  'cbec_import_usd',
  'cbec_export_usd',
  'total_export_usd',
  'platform_local_online_trade_usd',
] as const;

const MONEY_COLUMNS: ReadonlyArray<[column: string, key: keyof CustomsRowInput]> = [
  ['export_9610_usd', 'export9610Usd'],
  ['cbec_import_usd', 'cbecImportUsd'],
  ['cbec_export_usd', 'cbecExportUsd'],
  ['total_export_usd', 'totalExportUsd'],
];

export interface CsvRowProblem {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  field: string;
  reason: string;
}

export interface ParsedCustomsRow extends CustomsRowInput {
  line: number;
  platformLocalOnlineTradeUsd: string | null;
}

export interface ParsedCustomsCsv {
  rows: ParsedCustomsRow[];
  problems: CsvRowProblem[];
}

/**
 * Reads a customs statistics file and checks EVERY row (API.md: any bad row -> 422 listing every bad
 * row, nothing stored). Amounts stay decimal strings (exact); an empty platform figure means none recorded.
 */
export function parseCustomsCsv(text: string): ParsedCustomsCsv {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as never;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    return { rows: [], problems: [{ line: err.lines ?? 1, field: 'file', reason: `not readable as CSV: ${err.message}` }] };
  }
  if (records.length === 0) return { rows: [], problems: [{ line: 1, field: 'file', reason: 'is empty: expected the header and at least one row' }] };
  const [header, ...body] = records;
  const expected = CUSTOMS_CSV_HEADER.join(',');
  if (header.record.join(',') !== expected) {
    return { rows: [], problems: [{ line: header.info.lines, field: 'header', reason: `must be exactly "${expected}", got "${header.record.join(',')}"` }] };
  }
  if (body.length === 0) return { rows: [], problems: [{ line: 2, field: 'file', reason: 'has a header but no rows' }] };

  const rows: ParsedCustomsRow[] = [];
  const problems: CsvRowProblem[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    const bad = (field: string, reason: string): void => void problems.push({ line, field, reason });
    if (record.length !== CUSTOMS_CSV_HEADER.length) {
      bad('row', `has ${record.length} fields; expected ${CUSTOMS_CSV_HEADER.length} (${expected})`);
      continue;
    }
    const cell = (column: string): string => record[CUSTOMS_CSV_HEADER.indexOf(column as (typeof CUSTOMS_CSV_HEADER)[number])];
    const before = problems.length;
    const yearText = cell('year');
    const year = Number(yearText);
    if (!/^\d{4}$/.test(yearText) || year < 2000 || year > 2100) bad('year', `must be a calendar year between 2000 and 2100, got "${yearText}"`);
    try {
      Uscc.parse(cell('uscc'), 'uscc');
    } catch (e) {
      bad('uscc', (e as { detail?: string }).detail ?? (e as Error).message);
    }
    if (cell('name') === '') bad('name', 'must not be empty');
    const figures: Record<string, string> = {};
    for (const [column, key] of MONEY_COLUMNS) {
      try {
        figures[key] = Money.parse(cell(column), 'USD', column).toString();
      } catch (e) {
        bad(
          column,
          cell(column) === '' ? 'must not be empty (write 0.00 when customs record none)' : ((e as { detail?: string }).detail ?? (e as Error).message),
        );
      }
    }
    let platform: string | null = null;
    const platformText = cell('platform_local_online_trade_usd');
    if (platformText !== '') {
      try {
        platform = Money.parse(platformText, 'USD', 'platform_local_online_trade_usd').toString();
      } catch (e) {
        bad('platform_local_online_trade_usd', (e as { detail?: string }).detail ?? (e as Error).message);
      }
    }
    if (problems.length > before) continue;
    rows.push({
      line,
      year,
      uscc: cell('uscc'),
      name: cell('name'),
      export9610Usd: figures.export9610Usd,
      cbecImportUsd: figures.cbecImportUsd,
      cbecExportUsd: figures.cbecExportUsd,
      totalExportUsd: figures.totalExportUsd,
      platformLocalOnlineTradeUsd: platform,
    });
  }

  // One (year, USCC) has one set of figures per file; a different repeat is ambiguous, not a revision.
  const first = new Map<string, ParsedCustomsRow>();
  for (const row of rows) {
    const key = `${row.year}:${row.uscc}`;
    const earlier = first.get(key);
    if (!earlier) first.set(key, row);
    else if (figuresOf(earlier) !== figuresOf(row)) {
      problems.push({ line: row.line, field: 'uscc', reason: `${row.uscc} has different ${row.year} figures on line ${earlier.line} of this file` });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems };
}

function figuresOf(r: ParsedCustomsRow): string {
  return [r.export9610Usd, r.cbecImportUsd, r.cbecExportUsd, r.totalExportUsd, r.platformLocalOnlineTradeUsd].join('|');
}
