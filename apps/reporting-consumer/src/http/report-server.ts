import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ReportingDb } from '../reports/reporting-db';
import { localeFromAcceptLanguage, parseLocale } from '@cbec/domain';
import { toCsv } from './csv';
import { withPeopleColumns } from './people-columns';
import { ReportAuth, ReportRefusal, rowsFor } from './report-auth';

export const REPORT_COLUMNS: Record<string, string[]> = {
  awards: ['program', 'county', 'year', 'approvedCount', 'approvedCny', 'disbursedCount', 'disbursedCny'],
  funds: ['year', 'appropriatedCny', 'committedCny', 'paidCny', 'committedUnpaidCny', 'availableCny', 'commitments', 'payments'],
  throughput: ['program', 'year', 'submitted', 'resubmitted', 'accepted', 'returned', 'approved', 'rejected', 'disbursed'],
  overdue: ['applicationId', 'round', 'unit', 'program', 'year', 'dueDate', 'overdueSince', 'answeredAt', 'open'],
  sequels: [
    'program',
    'county',
    'year',
    'objections',
    'upheld',
    'withdrawnCount',
    'withdrawnCny',
    'revokedCount',
    'revokedCny',
    'recoveryOrderedCny',
    'recoveredCny',
    'outstandingCny',
    'recoveriesSettled',
    'rechecksFlagged',
    'rechecksUnchanged',
    'rechecksLower',
    'rechecksHigher',
    'loweredCny',
    'supplementsApproved',
    'supplementApprovedCny',
    'proactiveOpened',
    'supplementObjectionsOverruled',
    'supplementsRefused',
  ],
};

export interface ReportServerStatus {
  (): Record<string, unknown>;
}

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `about:blank`, title, status, detail }));
}

/**
 * GET /reports/{awards,funds,throughput,overdue,sequels}[?format=json|csv][&lang=zh-CN|en] and GET /health. Read-only,
 * aggregates only (no personal data ever reaches this process), bound to loopback by default. A report needs a
 * department's or AUDIT's Bearer token (401/403 otherwise); a county unit gets only its own county's rows, so
 * nothing of a report without a county column (docs/operations.md, the reporting consumer).
 * The CSV adds names and ¥ amounts for people in `lang` (else Accept-Language, else zh-CN; docs/chinese.md).
 */
export function createReportServer(db: ReportingDb, status: ReportServerStatus, auth: ReportAuth): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    answer(db, status, auth, req, res).catch((e: unknown) => {
      if (!res.headersSent) return problem(res, 500, 'Internal Server Error', `the report could not be answered: ${(e as Error).message}`);
      res.destroy();
    });
  });
}

async function answer(db: ReportingDb, status: ReportServerStatus, auth: ReportAuth, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET') return problem(res, 405, 'Method Not Allowed', 'reports are read with GET');
  if (url.pathname === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', ...status() }));
    return;
  }
  const m = /^\/reports\/([a-z]+)$/.exec(url.pathname);
  if (!m)
    return problem(
      res,
      404,
      'Not Found',
      `no such path ${url.pathname}; reports: ${Object.keys(REPORT_COLUMNS)
        .map((r) => `/reports/${r}`)
        .join(', ')}`,
    );
  const name = m[1];
  if (!REPORT_COLUMNS[name]) return problem(res, 404, 'Not Found', `no report "${name}"; reports: ${Object.keys(REPORT_COLUMNS).join(', ')}`);
  const format = url.searchParams.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') return problem(res, 400, 'Bad Request', `format="${format}" must be json or csv`);
  let reader;
  try {
    reader = await auth.reader(req.headers.authorization);
  } catch (e) {
    if (e instanceof ReportRefusal) return problem(res, e.status, e.title, e.message);
    throw e;
  }
  const rows = rowsFor(reader, (db as unknown as Record<string, () => Array<Record<string, unknown>>>)[name]());
  if (format === 'csv') {
    const lang = url.searchParams.get('lang');
    const locale = lang === null ? localeFromAcceptLanguage(req.headers['accept-language']) : parseLocale(lang);
    if (locale === null) return problem(res, 400, 'Bad Request', `lang="${lang}" must be zh-CN or en`);
    const people = withPeopleColumns(name, rows, REPORT_COLUMNS[name], locale);
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `inline; filename="${name}.csv"`, vary: 'Accept-Language' });
    res.end(toCsv(people.rows, people.columns));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ report: name, rows }));
}
