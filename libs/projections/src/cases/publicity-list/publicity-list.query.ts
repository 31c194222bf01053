import * as ExcelJS from 'exceljs';
import { getPolicy, label, programOf, toCsv, type Locale } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { Forbidden, isAuditor, isCountyUnit, isDepartment } from '@cbec/platform';
import type { SqlReader } from '../../runner/read-model-engine';
import { beneficiaryNamesOf } from '../../beneficiary-names/beneficiary-names.projection';
import type { AwardView } from '../get-case/get-case.query';

/** One award published (公示) on the day asked: who, which program, how much, under which clause. */
export interface PublicityEntry {
  applicationId: string;
  uscc: string;
  enterprise: string | null;
  program: string;
  programName: string;
  year: number;
  amountCny: string;
  /** The clause of 四、支持政策 that grants it (e.g. 四（一）). */
  clause: string;
  from: string;
  until: string;
  status: string;
}

export const PUBLICITY_COLUMNS = ['enterprise', 'uscc', 'program', 'programName', 'year', 'amountCny', 'clause', 'from', 'until', 'applicationId'] as const;

/**
 * The awards in their publicity period on `date` (from ≤ date ≤ until), in order of approval: the list
 * the city publishes. Departments and AUDIT (a county unit reads its county's only, as the case list).
 */
export async function publicityList(db: SqlReader, date: string, actor: Actor, locale: Locale): Promise<PublicityEntry[]> {
  if (!isDepartment(actor) && !isAuditor(actor)) {
    throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not read the publicity list: departments and AUDIT only`);
  }
  const rows = await db.all<{
    application_id: string;
    uscc: string;
    beneficiary_name: string | null;
    program: string;
    year: number;
    status: string;
    policy_version: string;
    approval: string;
  }>(
    `SELECT application_id, uscc, beneficiary_name, program, year, status, policy_version, approval FROM cases WHERE approval IS NOT NULL ORDER BY updated_at`,
  );
  const county = isCountyUnit(actor) ? actor.unit.slice('CTY-'.length) : null;
  const published = rows
    .map((r) => ({ row: r, award: JSON.parse(r.approval) as AwardView }))
    .filter(
      ({ row, award }) =>
        award.publicity && award.publicity.from <= date && date <= award.publicity.until && (county === null || row.uscc.slice(2, 8) === county),
    )
    .sort((a, b) => (a.award.approvedAt < b.award.approvedAt ? -1 : a.award.approvedAt > b.award.approvedAt ? 1 : 0));
  // The name the application gave, else the customs statistics' (as the case view and the inbox name it).
  const names = await beneficiaryNamesOf(
    db,
    published.map(({ row }) => row),
  );
  return published.map(({ row, award }, i) => ({
    applicationId: row.application_id,
    uscc: row.uscc,
    enterprise: names[i],
    program: row.program,
    programName: label('program', row.program, locale),
    year: row.year,
    amountCny: award.amountCny,
    clause: getPolicy(row.policy_version).programs[programOf(row.program)].article,
    from: award.publicity!.from,
    until: award.publicity!.until,
    status: row.status,
  }));
}

/** CSV through the one writer (formula-neutralised cells, docs/imports.md "CSV the system writes"). */
export function publicityCsv(entries: readonly PublicityEntry[]): string {
  return toCsv(entries as unknown as Array<Record<string, unknown>>, PUBLICITY_COLUMNS);
}

/** The same as an xlsx workbook (one sheet; amounts as numbers with two decimals, every other cell as text). */
export async function publicityXlsx(entries: readonly PublicityEntry[], date: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`公示 ${date}`);
  sheet.columns = PUBLICITY_COLUMNS.map((key) => ({ header: key, key, width: key === 'enterprise' || key === 'applicationId' ? 36 : 16 }));
  for (const e of entries) {
    // Text stays text (a name starting with '=' is never a formula): exceljs writes strings as shared strings.
    sheet.addRow({ ...e, amountCny: Number(e.amountCny) }).getCell('amountCny').numFmt = '0.00';
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
