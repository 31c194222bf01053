import { createHash } from 'node:crypto';
import { CustomsRowInput, Money, Uscc } from '@cbec/domain';
import { MAX_CUSTOMS_ROWS } from '@cbec/platform';

/** docs/api.md's import format, in this order (the header a file written by this system carries). */
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

export type CustomsColumn = (typeof CUSTOMS_CSV_HEADER)[number];

/**
 * The Chinese headers accepted beside the English ones (docs/imports.md lists them): the names customs
 * clerks give the columns of 海关统计数据. Half- and full-width parentheses and spaces do not matter.
 */
export const CUSTOMS_CHINESE_HEADERS: Readonly<Record<CustomsColumn, readonly string[]>> = {
  year: ['年度', '年份'],
  uscc: ['统一社会信用代码'],
  name: ['企业名称'],
  export_9610_usd: ['9610出口额(美元)'],
  cbec_import_usd: ['跨境电商进口额(美元)'],
  cbec_export_usd: ['跨境电商出口额(美元)'],
  total_export_usd: ['出口总额(美元)'],
  platform_local_online_trade_usd: ['平台本地企业网上交易额(美元)'],
};

const normalHeader = (text: string): string => text.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '').toLowerCase();

const COLUMN_BY_HEADER: ReadonlyMap<string, CustomsColumn> = new Map(
  CUSTOMS_CSV_HEADER.flatMap((column) => [column, ...CUSTOMS_CHINESE_HEADERS[column]].map((name) => [normalHeader(name), column] as const)),
);

const MONEY_COLUMNS: ReadonlyArray<[column: CustomsColumn, key: keyof CustomsRowInput]> = [
  ['export_9610_usd', 'export9610Usd'],
  ['cbec_import_usd', 'cbecImportUsd'],
  ['cbec_export_usd', 'cbecExportUsd'],
  ['total_export_usd', 'totalExportUsd'],
];

export interface CsvRowProblem {
  /** 1-based line of the file (the header is line 1); for a workbook, the sheet's row number. */
  line: number;
  field: string;
  reason: string;
}

export interface ParsedCustomsRow extends CustomsRowInput {
  line: number;
  platformLocalOnlineTradeUsd: string | null;
}

/** The separator of a row's packed cells: a control character, refused in no cell but never in a valid one. */
const SEP = '\u001f';

/**
 * The good rows of one year, compact: each row one string of its checked cells (USCC, name, the figures
 * as written back by the money check) and its line in a typed array, instead of an object of eight
 * strings. What an import holds per row until every year is decided (docs/imports.md, "Memory").
 */
export class CustomsYearRows {
  private packed: string[] = [];
  private lines = new Uint32Array(1024);
  /** Index of the first row of each USCC (the duplicate check of the file). */
  private readonly firstOf = new Map<string, number>();
  /** Rows whose name holds the separator itself, kept whole (the packed form could not tell them apart). */
  private readonly whole = new Map<number, ParsedCustomsRow>();

  constructor(readonly year: number) {}

  get length(): number {
    return this.packed.length;
  }

  line(index: number): number {
    return this.lines[index];
  }

  /** The row at `index`, as the decider reads it. */
  row(index: number): ParsedCustomsRow {
    const whole = this.whole.get(index);
    if (whole) return whole;
    const [uscc, name, export9610Usd, cbecImportUsd, cbecExportUsd, totalExportUsd, platform] = this.packed[index].split(SEP);
    return {
      line: this.lines[index],
      year: this.year,
      uscc,
      name,
      export9610Usd,
      cbecImportUsd,
      cbecExportUsd,
      totalExportUsd,
      platformLocalOnlineTradeUsd: platform === '' ? null : platform,
    };
  }

  toArray(): ParsedCustomsRow[] {
    return this.packed.map((_, i) => this.row(i));
  }

  /** The line of an earlier row of this USCC with other figures, 0 when none; else keeps the row. */
  add(row: ParsedCustomsRow): number {
    const figures = figuresOf(row);
    const earlier = this.firstOf.get(row.uscc);
    if (earlier !== undefined) {
      if (figuresOf(this.row(earlier)) !== figures) return this.lines[earlier];
    } else this.firstOf.set(row.uscc, this.packed.length);
    if (row.name.includes(SEP)) this.whole.set(this.packed.length, row);
    if (this.packed.length === this.lines.length) {
      const grown = new Uint32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[this.packed.length] = row.line;
    // join writes one flat string (a template literal keeps a tree of the parts: twice the memory).
    this.packed.push([row.uscc, row.name, figures].join(SEP));
    return 0;
  }

  /** Once every row is read: the duplicate check's map is not needed to decide or store. */
  sealed(): this {
    this.firstOf.clear();
    return this;
  }

  /** Lets the rows go (a year once stored). */
  release(): void {
    this.packed = [];
    this.lines = new Uint32Array(0);
    this.whole.clear();
  }
}

export interface CheckedCustomsFile {
  /** Rows read (the header not counted), good or bad. */
  rows: number;
  /** The good rows by year, in file order. */
  byYear: Map<number, CustomsYearRows>;
  /** Every problem, by line; any problem refuses the whole file. */
  problems: CsvRowProblem[];
  /** SHA-256 (hex) of the decoded content: the same file, in whatever encoding, is the same batch. */
  contentHash: string;
  /** The file has more than MAX_CUSTOMS_ROWS rows: reading stopped at the first row past the limit. */
  tooManyRows: { line: number } | null;
}

/**
 * Checks a customs file row by row as it is read (docs/api.md: any bad row -> 422 listing every bad row,
 * nothing stored), in O(1) per row: rows are grouped by year as they come, and a (year, USCC) seen twice
 * is found in a map. Amounts stay decimal strings (exact); an empty platform figure means none recorded.
 * A cell holding U+FFFD came from bytes the decoder could not read: the file is refused, never stored so.
 */
export class CustomsRowChecker {
  private columns: Array<CustomsColumn | undefined> | null = null;
  private index: Record<CustomsColumn, number> | null = null;
  private readonly problems: CsvRowProblem[] = [];
  private readonly byYear = new Map<number, CustomsYearRows>();
  private rowCount = 0;
  private overLimit: { line: number } | null = null;
  private headerRefused = false;
  private readonly content = createHash('sha256');

  /**
   * `source` names how the cells were read, for the refusal of a cell that did not decode (e.g. "GB18030");
   * `maxRows` is MAX_CUSTOMS_ROWS (smaller in specs).
   */
  constructor(
    private readonly source: string,
    private readonly maxRows = MAX_CUSTOMS_ROWS,
  ) {}

  get rowsChecked(): number {
    return this.rowCount;
  }

  /** A row past the limit was met: the reader stops, the file is refused whatever else it holds. */
  get full(): boolean {
    return this.overLimit !== null;
  }

  /** The first non-empty record: the header. False when refused (the rows are not read then). */
  header(cells: readonly string[], line: number): boolean {
    const undecodable = cells.findIndex((cell) => cell.includes('\uFFFD'));
    if (undecodable >= 0) {
      this.undecodable(line, 'header');
      return false;
    }
    const columns = cells.map((cell) => COLUMN_BY_HEADER.get(normalHeader(cell)));
    const index = {} as Record<CustomsColumn, number>;
    const wrong: string[] = [];
    columns.forEach((column, i) => {
      if (column === undefined) wrong.push(`unknown column "${cells[i]}"`);
      else if (index[column] !== undefined) wrong.push(`column "${column}" given twice`);
      else index[column] = i;
    });
    for (const column of CUSTOMS_CSV_HEADER) if (index[column] === undefined) wrong.push(`missing column "${column}"`);
    if (wrong.length > 0) {
      this.headerRefused = true;
      this.problems.push({
        line,
        field: 'header',
        reason: `must name the columns ${CUSTOMS_CSV_HEADER.join(',')} (or their Chinese names, docs/imports.md): ${wrong.join('; ')}; got "${cells.join(',')}"`,
      });
      return false;
    }
    this.columns = columns;
    this.index = index;
    return true;
  }

  row(cells: readonly string[], line: number): void {
    if (!this.index || !this.columns) throw new Error('CustomsRowChecker: row before an accepted header');
    if (this.overLimit) return;
    if (this.rowCount === this.maxRows) {
      this.overLimit = { line };
      return;
    }
    this.rowCount++;
    const problems = this.problems;
    const before = problems.length;
    const bad = (field: string, reason: string): void => void problems.push({ line, field, reason });
    if (cells.length !== this.columns.length) {
      bad('row', `has ${cells.length} fields; expected ${this.columns.length} (as the header)`);
      return;
    }
    for (let i = 0; i < cells.length; i++) {
      if (cells[i].includes('\uFFFD')) return this.undecodable(line, this.columns[i]!);
    }
    const index = this.index;
    const cell = (column: CustomsColumn): string => cells[index[column]];
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
    if (problems.length > before) return;
    const row: ParsedCustomsRow = {
      line,
      year,
      uscc: cell('uscc'),
      name: cell('name'),
      export9610Usd: figures.export9610Usd,
      cbecImportUsd: figures.cbecImportUsd,
      cbecExportUsd: figures.cbecExportUsd,
      totalExportUsd: figures.totalExportUsd,
      platformLocalOnlineTradeUsd: platform,
    };
    // One (year, USCC) has one set of figures per file; a different repeat is ambiguous, not a revision.
    let yearRows = this.byYear.get(year);
    if (!yearRows) this.byYear.set(year, (yearRows = new CustomsYearRows(year)));
    const earlierLine = yearRows.add(row);
    if (earlierLine !== 0) bad('uscc', `${row.uscc} has different ${year} figures on line ${earlierLine} of this file`);
  }

  /** Feeds the batch's content hash (the decoded text of a CSV, the cells of a workbook). */
  hashContent(text: string): void {
    this.content.update(text);
  }

  /** A problem of the file itself (not readable, empty): refuses it like a bad row. */
  fileProblem(line: number, reason: string): void {
    this.problems.push({ line, field: 'file', reason });
  }

  finish(lastLine: number): CheckedCustomsFile {
    if (!this.headerRefused && this.problems.length === 0) {
      if (!this.index) this.fileProblem(1, 'is empty: expected the header and at least one row');
      else if (this.rowCount === 0) this.fileProblem(lastLine + 1, 'has a header but no rows');
    }
    const problems = this.problems.sort((a, b) => a.line - b.line);
    const refused = problems.length > 0 || this.overLimit !== null;
    for (const rows of this.byYear.values()) rows.sealed();
    return {
      rows: this.rowCount,
      byYear: refused ? new Map() : this.byYear,
      problems,
      contentHash: this.content.digest('hex'),
      tooManyRows: this.overLimit,
    };
  }

  private undecodable(line: number, field: string): void {
    this.problems.push({
      line,
      field,
      reason: `is not readable as ${this.source}: it decodes to U+FFFD (a replacement character); save the file as UTF-8, or send its charset (e.g. text/csv; charset=gb18030)`,
    });
  }
}

/** The figures of a row as packed (an empty last cell: no platform figure). */
function figuresOf(r: ParsedCustomsRow): string {
  return `${r.export9610Usd}${SEP}${r.cbecImportUsd}${SEP}${r.cbecExportUsd}${SEP}${r.totalExportUsd}${SEP}${r.platformLocalOnlineTradeUsd ?? ''}`;
}
