/**
 * Every CSV the system writes goes through `csvCell` (docs/imports.md, "CSV the system writes").
 *
 * A spreadsheet runs a cell as a formula when its text starts with `=`, `+`, `-` or `@` (and some also
 * after a leading tab or carriage return), so text taken from an applicant or a file (a name
 * `=HYPERLINK(...)`) could run on the reader's machine. Such a cell is written with a leading single
 * quote (`'=HYPERLINK(...)`), which spreadsheets show as text and do not evaluate. A cell that is exactly
 * a number (`-1500.00`, `+3`, `42`: optional sign, digits, optional decimals) is left as it is: it is
 * read as that number, and an amount stays an amount. Then RFC 4180 quoting: a cell holding a comma,
 * quote or line break is quoted, quotes doubled.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function neutraliseCsvFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One cell: null and undefined are empty; numbers and text as above. */
export function csvCell(value: unknown): string {
  const text = neutraliseCsvFormula(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV (CRLF): header from `columns` or the first row's keys, every cell through `csvCell`. */
export function toCsv(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): string {
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  return [cols.map(csvCell).join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}
