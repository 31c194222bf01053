import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  BENEFICIARY_EVENT_TYPES,
  CASE_EVENT_TYPES,
  CASE_STATUSES,
  CATALOGUE,
  CUSTOMS_EVENT_TYPES,
  FUND_EVENT_TYPES,
  hasLabel,
  label,
  ledgerTerms,
  LOCALES,
  POLICIES,
  PROGRAM_IDS,
  REASON_CODES,
  TRACE_CODES,
  TRACE_TEXTS,
  type LabelKind,
  type ReviewVerdict,
} from '@cbec/domain';
import { AWAITED_STEPS } from '../../libs/projections/src/cases/get-case/get-case.query';
import type { InboxTask } from '../../libs/projections/src/inbox/inbox.projection';
import { DEPARTMENTS, ROLES } from '../../libs/platform/src/auth/actor';

/**
 * Every code the system shows people has a label in each locale (docs/chinese.md). The codes are
 * enumerated from where they are defined, so a code added there without a label fails here.
 */

const ROOT = join(__dirname, '..', '..');

/** Typed records: adding a member to the union without listing it here fails the typecheck. */
const VERDICTS: Record<ReviewVerdict, true> = { approve: true, reject: true };
const INBOX_TASKS: Record<InboxTask, true> = {
  accept: true,
  review: true,
  decide: true,
  disburse: true,
  resubmit: true,
  'overdue-review': true,
  recover: true,
  confirm: true,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'bench', 'testing', 'dist'].includes(entry.name) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * The `code` of every error and problem answer, read from the sources: `code = 'x'`, `code: 'x'`,
 * `problem(400, 'x', …)` and the status-mapped codes of the problem filter.
 */
function errorCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [/\bcode\s*[:=]\s*'([a-z][a-z0-9]*(?:-[a-z0-9]+)*)'/g, /\bproblem\(\s*\d{3},\s*'([a-z][a-z0-9-]*)'/g, /\?\s*'([a-z]+(?:-[a-z]+)+)'\s*:/g];
  for (const file of [...sourceFiles(join(ROOT, 'libs')), ...sourceFiles(join(ROOT, 'apps'))]) {
    if (file.includes(`${join('libs', 'domain', 'src', 'i18n')}`)) continue;
    const text = readFileSync(file, 'utf8');
    const isFilter = file.endsWith('problem.filter.ts');
    for (const [i, pattern] of patterns.entries()) {
      if (i === 2 && !isFilter) continue;
      for (const m of text.matchAll(pattern)) if (!found.has(m[1])) found.set(m[1], relative(ROOT, file));
    }
  }
  return found;
}

function capIds(): string[] {
  const ids = new Set<string>();
  for (const policy of Object.values(POLICIES)) {
    for (const program of PROGRAM_IDS) if (ledgerTerms(policy, program).annualCapCny !== null) ids.add(`${program}-annual-cap`);
    for (const [article, params] of Object.entries(policy.articles)) if (params.annualCapCny !== null) ids.add(`article-${article}-annual-cap`);
  }
  return [...ids];
}

const KINDS: Array<[LabelKind, () => readonly string[]]> = [
  ['program', () => PROGRAM_IDS],
  ['status', () => CASE_STATUSES],
  ['unit', () => [...DEPARTMENTS, 'AUDIT', 'APPLICANT', 'ADMIN', 'LGO', 'CTY-341502', 'CTY-341525']],
  ['role', () => [...ROLES, 'admin']],
  ['reason', () => REASON_CODES],
  ['error', () => [...errorCodes().keys()]],
  ['verdict', () => Object.keys(VERDICTS)],
  ['event', () => [...CASE_EVENT_TYPES, ...BENEFICIARY_EVENT_TYPES, ...FUND_EVENT_TYPES, ...CUSTOMS_EVENT_TYPES]],
  ['cap', capIds],
  ['division', () => ['341500', '341502', '341503', '341504', '341522', '341523', '341524', '341525']],
  ['inbox-task', () => Object.keys(INBOX_TASKS)],
  ['next-step', () => AWAITED_STEPS],
];

describe('the label catalogue', () => {
  it.each(KINDS)('labels every %s code, in every locale, never blank', (kind, codes) => {
    const listed = codes();
    expect(listed.length).toBeGreaterThan(0);
    const missing = listed.filter((code) => !hasLabel(kind, code));
    expect({ kind, missing }).toEqual({ kind, missing: [] });
    for (const code of listed) for (const locale of LOCALES) expect(label(kind, code, locale).trim()).not.toBe('');
  });

  it('finds the error codes where they are defined (the scan itself works)', () => {
    const codes = errorCodes();
    expect(codes.get('version-conflict')).toBeDefined();
    expect(codes.get('invalid-uscc')).toBe(join('libs', 'domain', 'src', 'shared', 'uscc.ts'));
    expect(codes.get('internal-error')).toBeDefined();
  });

  it('every refusal reason is also labelled as what the API answers with it (error codes that are reasons)', () => {
    for (const reason of REASON_CODES) expect(label('reason', reason, 'zh-CN')).not.toMatch(/未译/);
  });

  it('names the units and divisions as the people of Lu’an know them', () => {
    expect(['FIN', 'COM', 'CUS', 'PBC', 'ADMIN'].map((u) => label('unit', u))).toEqual([
      '市财政局',
      '市商务局',
      '合肥海关驻六安办事处',
      '人民银行六安市中心支行',
      '系统管理员',
    ]);
    expect(label('unit', 'CTY-341525')).toBe('霍山县人民政府');
    expect(['341502', '341503', '341504', '341522', '341523', '341524', '341525', '341500'].map((d) => label('division', d))).toEqual([
      '金安区',
      '裕安区',
      '叶集区',
      '霍邱县',
      '舒城县',
      '金寨县',
      '霍山县',
      '六安市',
    ]);
  });

  it('shows an unknown code visibly marked, never blank', () => {
    expect(label('status', 'archived')).toBe('〔未译〕archived');
    expect(label('status', 'archived', 'en')).toBe('[untranslated] archived');
    expect(label('unit', 'CTY-999999')).toBe('〔未译〕CTY-999999');
    expect(label('program', '')).toBe('（无）');
  });

  it('has no label for a kind it does not know of (every kind is checked above)', () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual(KINDS.map(([k]) => k).sort());
  });

  it('has words for every trace code in every locale', () => {
    for (const code of TRACE_CODES) for (const locale of LOCALES) expect(typeof TRACE_TEXTS[code][locale]).toBe('function');
  });
});

describe('the trace codes the domain writes', () => {
  it('each `traceStep(...)` call of the domain names a code with words', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'libs', 'domain', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/traceStep\(\s*'([a-z0-9-]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/skip\('([a-z0-9-]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((code) => !TRACE_CODES.includes(code))).toEqual([]);
  });
});
