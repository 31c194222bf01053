import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The built CLI, as a user runs it: `node dist/apps/cli/src/main.js evaluate FILE`.
const root = join(__dirname, '../../..');
const main = join(root, 'dist/apps/cli/src/main.js');
const fixtures = join(root, 'tests/fixtures/cases');
let scratch: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function caseFile(name: string, json: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

const p1 = () => JSON.parse(readFileSync(join(fixtures, 'p1-export-reward.json'), 'utf8'));

beforeAll(() => {
  // Built by `npm test` before Jest starts, as for the e2e specs: rebuilding here would rewrite dist/ under the
  // servers other spec files start from it beside this one.
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run -s build" first (npm test does)`);
  scratch = mkdtempSync(join(tmpdir(), 'cbec-evaluate-'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run cli -- evaluate <case.json>', () => {
  it.each([
    ['p1-export-reward.json', 'P1', '50000.00'],
    ['p2a-platform-fee-subsidy.json', 'P2a', '34510.35'],
    ['p2b-trade-increment-subsidy.json', 'P2b', '56000.00'],
    ['p3a-platform-investment-subsidy.json', 'P3a', '152000.00'],
    ['p3b-platform-recruitment-reward.json', 'P3b', '20000.00'],
    ['p4-provincial-park-grant.json', 'P4', '500000.00'],
  ])('exits 0 and prints the evaluation of the eligible case %s', (file, program, amountCny) => {
    const { code, stdout, stderr } = cli('evaluate', join(fixtures, file));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ program, eligible: true, amountCny, reasons: [], policyVersion: 'LZB-2019-4' });
    expect(Object.keys(out).slice(0, 8)).toEqual(['program', 'eligible', 'amountCny', 'computedCny', 'capApplied', 'reasons', 'trace', 'policyVersion']);
    expect(out.trace.length).toBeGreaterThan(2);
  });

  it('prints, for the example of docs/api.md, the evaluation shown under it (its trace shortened there, each shown step exactly)', () => {
    const page = readFileSync(join(root, 'docs/api.md'), 'utf8');
    const start = page.indexOf('### Evaluate a case');
    const section = page.slice(start, page.indexOf('\n## ', start + 1));
    const [, command, printed] = /```sh\n.*cli -- (evaluate \S+)\n```[\s\S]*?```json\n([\s\S]*?)```/.exec(section) ?? [];
    expect(command).toBe('evaluate tests/fixtures/cases/p2b-trade-increment-subsidy.json');
    const { code, stdout } = cli(...command.split(' '));
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const shown = JSON.parse(printed);
    expect({ ...out, trace: [] }).toEqual({ ...shown, trace: [] });
    expect(shown.trace.length).toBeGreaterThan(2);
    for (const step of shown.trace) expect(out.trace).toContainEqual(step);
  });

  it('renders the trace for people in Chinese by default and in English with --lang en, the codes and amounts unchanged', () => {
    const zh = JSON.parse(cli('evaluate', join(fixtures, 'p2b-trade-increment-subsidy.json')).stdout);
    const en = JSON.parse(cli('evaluate', join(fixtures, 'p2b-trade-increment-subsidy.json'), '--lang', 'en').stdout);
    expect(zh.trace.find((s: { code: string }) => s.code === 'steps-times')).toMatchObject({ step: '28 × ¥2,000.00', value: '¥56,000.00', clause: '四（二）' });
    expect(en.trace.find((s: { code: string }) => s.code === 'steps-times')).toMatchObject({ step: '28 x ¥2,000.00', value: '¥56,000.00', clause: '四（二）' });
    expect(zh.trace.map((s: { code: string }) => s.code)).toEqual(en.trace.map((s: { code: string }) => s.code));
    expect({ ...zh, trace: null }).toEqual({ ...en, trace: null });
    const refused = JSON.parse(cli('evaluate', join(fixtures, 'p1-already-awarded.json')).stdout);
    expect(refused.trace[refused.trace.length - 1]).toMatchObject({ code: 'not-eligible', step: '不予奖励', value: '已享受过该项奖励' });
  });

  it('refuses a language it does not render (exit 2, naming the flag)', () => {
    const { code, stderr } = cli('evaluate', join(fixtures, 'p1-export-reward.json'), '--lang', 'fr');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--lang must be one of zh-CN, en/);
  });

  it('exits 1 for a case the rules refuse, still printing the evaluation with its reasons', () => {
    const { code, stdout, stderr } = cli('evaluate', join(fixtures, 'p1-already-awarded.json'));
    expect([code, stderr]).toEqual([1, '']);
    expect(JSON.parse(stdout)).toMatchObject({ eligible: false, amountCny: '0.00', reasons: ['already-awarded'] });
  });

  describe('exits 2 for bad input, with one JSON line on stderr naming the field and no stack trace', () => {
    const cases: [string, () => string[], string, RegExp][] = [
      ['an unreadable file', () => ['evaluate', join(scratch, 'missing.json')], 'FILE', /cannot read .*ENOENT/],
      ['invalid JSON', () => ['evaluate', caseFile('broken.json', '{"program": "P1",')], '(input)', /not valid JSON/],
      [
        'money as a JSON number',
        () => ['evaluate', caseFile('number.json', { ...p1(), customs: [{ ...p1().customs[0], export9610Usd: 246891.86 }] })],
        'customs[0].export9610Usd',
        /decimal string/,
      ],
      [
        'three decimals',
        () => ['evaluate', caseFile('decimals.json', { ...p1(), history: [{ program: 'P1', year: 2017, amountCny: '50000.000' }] })],
        'history[0].amountCny',
        /more than two decimals/,
      ],
      [
        'a bad USCC check character',
        () => ['evaluate', caseFile('uscc.json', { ...p1(), beneficiary: { uscc: '91341500MA2010017D' } })],
        'beneficiary.uscc',
        /check character "D"; GB 32100-2015 gives "C"/,
      ],
      ['an unknown program', () => ['evaluate', caseFile('program.json', { ...p1(), program: 'P7' })], 'program', /unknown program "P7"/],
      ['a missing field', () => ['evaluate', caseFile('missing-field.json', { ...p1(), claims: {} })], 'claims.otherMunicipalTradeAward', /is missing/],
      ['no file argument', () => ['evaluate'], '', /needs exactly one case file/],
    ];
    it.each(cases)('%s', (_what, args, field, message) => {
      const { code, stdout, stderr } = cli(...args());
      expect(code).toBe(2);
      expect(stdout).toBe('');
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      const error = JSON.parse(lines[0]);
      expect(error.error).toMatch(message);
      if (field) expect(error.field).toBe(field);
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  });
});

describe('npm run cli -- policy show [--version V]', () => {
  it('prints every parameter and reading of LZB-2019-4 in Chinese', () => {
    const { code, stdout } = cli('policy', 'show');
    expect(code).toBe(0);
    const shown = JSON.parse(stdout);
    expect(shown).toMatchObject({ 政策版本: 'LZB-2019-4' });
    expect(shown.参数).toContainEqual({ 参数: 'p4.awardCny', 含义: 'P4 省级跨境电商产业园区支持：奖励（支持）金额', 值: '¥500,000.00' });
    expect(shown.解读.find((r: { 编号: string }) => r.编号 === 'p2b.new-enterprise')).toMatchObject({ 条款: '四（二）', 原文: '不包括新企业进出口总量' });
  });

  it('refuses an unknown version (exit 2, naming the flag)', () => {
    const { code, stderr } = cli('policy', 'show', '--version', 'LZB-2030-1');
    expect(code).toBe(2);
    expect(JSON.parse(stderr.trim())).toMatchObject({ field: '--version', code: 'unknown-policy-version' });
  });
});

describe('evaluate refuses what the submission refuses', () => {
  it('an award year not over at --now (Beijing time) is refused award-year-not-over, exit 1', () => {
    const early = cli('evaluate', join(fixtures, 'p1-export-reward.json'), '--now', '2019-12-31T15:59:59Z');
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stdout)).toMatchObject({ eligible: false, reasons: ['award-year-not-over'] });
    expect(cli('evaluate', join(fixtures, 'p1-export-reward.json'), '--now', '2019-12-31T16:00:00Z').code).toBe(0);
  });
});
