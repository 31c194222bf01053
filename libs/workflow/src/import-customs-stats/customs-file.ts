import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse as csvParser } from 'csv-parse';
import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import JSZip from 'jszip';
import { WorkflowError } from '@cbec/platform';
import { CheckedCustomsFile, CustomsRowChecker } from './customs-rows';

export const CSV_MEDIA_TYPE = 'text/csv';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The body is not a customs file this import reads (its media type or charset). */
export class UnsupportedMediaType extends WorkflowError {
  readonly code = 'unsupported-media-type';
  readonly httpStatus = 415;
}

export interface CustomsFile {
  /** The body as sent: bytes, decoded here (or, from a caller holding text, the text itself). */
  content: Buffer | string;
  /** The request's Content-Type, with its `charset` parameter if any. */
  contentType: string;
}

export interface ReadOptions {
  /** Called every `sliceRows` rows with the rows checked so far. */
  progress?: (rowsChecked: number) => void;
  /** Awaited every `sliceRows` rows: lets an import run on the event loop yield to other requests. */
  pause?: () => Promise<void>;
  sliceRows?: number;
  /** MAX_CUSTOMS_ROWS unless given (specs). */
  maxRows?: number;
}

/** Which of the two formats the Content-Type names; anything else is a 415. */
export function customsFileFormat(contentType: string | undefined): 'csv' | 'xlsx' {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === CSV_MEDIA_TYPE) return 'csv';
  if (mediaType === XLSX_MEDIA_TYPE) return 'xlsx';
  throw new UnsupportedMediaType(`send the file as Content-Type: ${CSV_MEDIA_TYPE} or ${XLSX_MEDIA_TYPE} (got ${contentType ?? 'none'})`);
}

/** GBK and GB2312 are read as GB18030, their superset (a GBK file decodes the same). */
const GB_ALIASES = new Set(['gbk', 'gb2312', 'gb18030', 'cp936', 'x-gbk', 'ms936', 'windows-936']);

/**
 * The encoding of a CSV body: its `charset` parameter, else UTF-16 by its BOM, else UTF-8 when the bytes
 * are UTF-8 (with or without a BOM), else GB18030 (what Excel on a Chinese Windows writes: GBK, which GB18030 extends).
 */
export function csvEncoding(bytes: Buffer, contentType: string | undefined): { encoding: string; label: string } {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1].toLowerCase();
  if (charset === undefined) {
    // A UTF-16 byte order mark (Excel's "Unicode text") says what the bytes are.
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', label: 'UTF-16LE (detected: its BOM)' };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', label: 'UTF-16BE (detected: its BOM)' };
    return isUtf8(bytes) ? { encoding: 'utf-8', label: 'UTF-8 (detected)' } : { encoding: 'gb18030', label: 'GB18030/GBK (detected: not UTF-8)' };
  }
  if (charset === 'utf-8' || charset === 'utf8') return { encoding: 'utf-8', label: 'UTF-8 (the charset sent)' };
  if (GB_ALIASES.has(charset)) return { encoding: 'gb18030', label: `GB18030/GBK (the charset sent: ${charset})` };
  const known: boolean = iconv.encodingExists(charset);
  if (known) return { encoding: charset, label: `${charset} (the charset sent)` };
  throw new UnsupportedMediaType(`unsupported charset "${charset.toUpperCase()}": send UTF-8 or GB18030/GBK`);
}

/** Reads and checks a customs file (CSV or the first sheet of an .xlsx workbook), row by row. */
export async function readCustomsFile(file: CustomsFile, options: ReadOptions = {}): Promise<CheckedCustomsFile> {
  return customsFileFormat(file.contentType) === 'xlsx' ? readCustomsXlsx(file.content, options) : readCustomsCsv(file, options);
}

const CHUNK_BYTES = 1 << 20;

async function readCustomsCsv(file: CustomsFile, options: ReadOptions): Promise<CheckedCustomsFile> {
  const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
  const { encoding, label } = typeof file.content === 'string' ? { encoding: 'utf-8', label: 'UTF-8' } : csvEncoding(bytes, file.contentType);
  const checker = new CustomsRowChecker(label, options.maxRows);
  // Decoded a megabyte at a time and parsed as it comes: the decoded text of the whole file never exists.
  function* decoded(): Generator<string> {
    const decoder = iconv.getDecoder(encoding); // drops a BOM
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      const text = decoder.write(bytes.subarray(offset, offset + CHUNK_BYTES));
      checker.hashContent(text);
      if (text) yield text;
    }
    const rest = decoder.end() ?? '';
    checker.hashContent(rest);
    if (rest) yield rest;
  }
  const parser = Readable.from(decoded()).pipe(csvParser({ info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }));
  const slice = options.sliceRows ?? 2000;
  let lastLine = 0;
  let headerAccepted: boolean | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastLine = info.lines;
      if (headerAccepted === undefined) {
        headerAccepted = checker.header(record, info.lines);
        if (!headerAccepted) break;
        continue;
      }
      checker.row(record, info.lines);
      if (checker.full) break; // MAX_CUSTOMS_ROWS: the rest is not read
      if (checker.rowsChecked % slice === 0) {
        options.progress?.(checker.rowsChecked);
        await options.pause?.();
      }
    }
  } catch (e) {
    const err = e as { lines?: number; message: string };
    checker.fileProblem(err.lines ?? lastLine + 1, `not readable as CSV: ${err.message}`);
  } finally {
    parser.destroy();
  }
  options.progress?.(checker.rowsChecked);
  return checker.finish(lastLine);
}

async function readCustomsXlsx(content: Buffer | string, options: ReadOptions): Promise<CheckedCustomsFile> {
  const checker = new CustomsRowChecker('an .xlsx workbook', options.maxRows);
  if (typeof content === 'string') {
    checker.fileProblem(1, 'is not an .xlsx workbook (received as text)');
    return checker.finish(0);
  }
  const slice = options.sliceRows ?? 2000;
  let lastLine = 0;
  try {
    // The streaming reader: rows are read from the zip as they come, not the whole workbook at once.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([content]), {
      sharedStrings: 'cache',
      styles: 'ignore',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    });
    // exceljs's streaming reader learns the sheets' names and order from xl/workbook.xml, but its single
    // pass over the zip may reach the sheets first (a writer may store the workbook part last), and on
    // Node 18+ it sometimes never delivers a final entry at all (exceljs issue 3064): it then fails on
    // `this.model.sheets`. The workbook part, read first through the zip's central directory, is what
    // the reader would have learned from it.
    Object.assign(reader, await workbookPart(content));
    let width = 0;
    let read = false;
    for await (const sheet of reader) {
      // Sheets come in the order of their parts in the zip; the workbook (read before them) says which is
      // first. Another sheet's rows are drained unread.
      const first = (reader as unknown as { model?: { sheets?: Array<{ name?: string }> } }).model?.sheets?.[0]?.name;
      const isFirst = !read && (first === undefined || (sheet as unknown as { name?: string }).name === first);
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (!isFirst) continue;
        const values = (row.values as unknown[]) ?? [];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
        if (cells.length === 0) continue;
        lastLine = row.number;
        checker.hashContent(`${cells.join('\u001f')}\n`);
        if (width === 0) {
          if (!checker.header(cells, row.number)) return checker.finish(lastLine);
          width = cells.length;
          continue;
        }
        // A row's empty trailing cells (an empty platform figure) are not stored by Excel at all.
        while (cells.length < width) cells.push('');
        checker.row(cells, row.number);
        if (checker.full) return checker.finish(lastLine); // MAX_CUSTOMS_ROWS: the rest is not read
        if (checker.rowsChecked % slice === 0) {
          options.progress?.(checker.rowsChecked);
          await options.pause?.();
        }
      }
      if (isFirst) read = true;
    }
  } catch (e) {
    checker.fileProblem(lastLine + 1, `not readable as an .xlsx workbook: ${(e as Error).message}`);
  }
  options.progress?.(checker.rowsChecked);
  return checker.finish(lastLine);
}

/** xl/workbook.xml's sheets in tab order and the relationships naming their parts, as exceljs's reader models them. */
async function workbookPart(content: Buffer): Promise<{ model: { sheets: WorkbookSheet[] }; workbookRels: Array<{ Id: string; Target: string }> }> {
  const zip = await JSZip.loadAsync(content);
  const text = async (path: string): Promise<string> => (await zip.file(path)?.async('string')) ?? '';
  const attributes = (tag: string): Record<string, string> =>
    Object.fromEntries([...tag.matchAll(/([\w:]+)="([^"]*)"/g)].map(([, name, value]) => [name, unescapeXml(value)]));
  const sheets = [...(await text('xl/workbook.xml')).matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)].map(([tag]) => {
    const a = attributes(tag);
    return { name: a.name, id: Number(a.sheetId), rId: a['r:id'], state: a.state ?? 'visible' };
  });
  const workbookRels = [...(await text('xl/_rels/workbook.xml.rels')).matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)].map(([tag]) => {
    const a = attributes(tag);
    return { Id: a.Id, Target: a.Target.replace(/^\/?xl\//, '') };
  });
  return { model: { sheets }, workbookRels };
}

interface WorkbookSheet {
  name: string;
  id: number;
  rId: string;
  state: string;
}

function unescapeXml(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-f]+|#[0-9]+);/gi, (entity: string, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    return named[name.toLowerCase()] ?? entity;
  });
}

/**
 * A cell as text. A number cell becomes the exact decimal it shows with JavaScript's shortest round-trip
 * form (60000.1 -> "60000.1", which the money check writes "60000.10"; 0.1 + 0.2 stays
 * "0.30000000000000004" and is refused as more than two decimals), never an exponent.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; formula?: string; text?: unknown; error?: string };
    if (Array.isArray(v.richText))
      return v.richText
        .map((part) => part.text)
        .join('')
        .trim();
    if ('result' in v || 'formula' in v) return cellText(v.result);
    if (typeof v.text === 'string' || typeof v.text === 'object') return cellText(v.text);
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

export function numberText(n: number): string {
  const text = String(n);
  const exp = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exp) return text;
  const [, sign, int, frac = '', e] = exp;
  const digits = int + frac;
  const point = int.length + Number(e);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
