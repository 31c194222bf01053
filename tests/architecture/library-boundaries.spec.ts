import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Which library may import which (docs/architecture.md, "Library boundaries"), proved against the real
 * eslint.config.mjs: each import below is placed, as a snippet, in a file of the importing library and
 * linted; it must be refused exactly when the table does not allow it. ESLint runs in one child process
 * because it loads its configuration with a dynamic `import()`, which Jest's module sandbox does not offer.
 */

const ROOT = join(__dirname, '..', '..');
const LIBS = ['domain', 'event-store', 'platform', 'workflow', 'projections', 'audit', 'messaging'] as const;
type Lib = (typeof LIBS)[number];

/** The allowed edges, whole libraries. */
const ALLOWED: Record<Lib, readonly Lib[]> = {
  domain: [],
  'event-store': ['domain'],
  platform: ['domain', 'event-store'],
  workflow: ['platform', 'domain', 'event-store'],
  projections: ['platform', 'domain', 'event-store'],
  audit: ['platform', 'domain', 'event-store', 'projections'],
  messaging: ['platform', 'domain', 'event-store'],
};

interface Probe {
  filePath: string;
  code: string;
}

/** The `no-restricted-imports` messages ESLint gives each probe, in order. */
function lint(probes: readonly Probe[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const probes = JSON.parse(await new Promise((done) => { let s = ''; process.stdin.on('data', (c) => (s += c)); process.stdin.on('end', () => done(s)); }));
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const { filePath, code } of probes) {
      const [result] = await eslint.lintText(code, { filePath });
      out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal).map((m) => m.message));
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, input: JSON.stringify(probes), encoding: 'utf8' });
  return JSON.parse(stdout) as string[][];
}

const probeFile = (lib: Lib | string) => join(ROOT, lib.startsWith('apps/') ? lib : `libs/${lib}`, 'src', 'boundary-probe.ts');

interface Case {
  what: string;
  probe: Probe;
  refused: boolean;
}

const cases: Case[] = [];
for (const lib of LIBS) {
  for (const other of LIBS.filter((o) => o !== lib)) {
    const refused = !ALLOWED[lib].includes(other);
    cases.push({ what: `${lib} imports @cbec/${other}`, probe: { filePath: probeFile(lib), code: `export { x } from '@cbec/${other}';\n` }, refused });
    cases.push({
      what: `${lib} imports ../../${other}/src/x by path`,
      probe: { filePath: probeFile(lib), code: `export { x } from '../../${other}/src/x';\n` },
      refused,
    });
  }
  cases.push({ what: `${lib} imports an app`, probe: { filePath: probeFile(lib), code: `export { x } from '../../../apps/cli/src/main';\n` }, refused: true });
  cases.push({
    what: `${lib} imports the tests`,
    probe: { filePath: probeFile(lib), code: `export { x } from '../../../tests/e2e/support';\n` },
    refused: true,
  });
}
// The one narrow edge: the case page's award preview runs the approval's input gathering.
for (const name of ['CustomsFiguresReader', 'gatherApprovalInputs', 'customsEventIdsOf']) {
  cases.push({
    what: `projections imports ${name} of @cbec/workflow`,
    probe: { filePath: probeFile('projections'), code: `export { ${name} } from '@cbec/workflow';\n` },
    refused: false,
  });
}
cases.push({
  what: 'projections imports assertCanAct of @cbec/workflow',
  probe: { filePath: probeFile('projections'), code: "export { assertCanAct } from '@cbec/workflow';\n" },
  refused: true,
});
cases.push({
  what: 'projections imports CustomsFiguresReader of workflow by path',
  probe: { filePath: probeFile('projections'), code: "export { CustomsFiguresReader } from '../../workflow/src/approve-award/customs-figures.reader';\n" },
  refused: true,
});
// Applications compose everything.
for (const lib of LIBS) {
  cases.push({
    what: `an app imports @cbec/${lib}`,
    probe: { filePath: probeFile('apps/workflow-api'), code: `export { x } from '@cbec/${lib}';\n` },
    refused: false,
  });
}

describe('library boundaries (eslint.config.mjs)', () => {
  const messages = lint(cases.map((c) => c.probe));

  it('refuses every import the table does not allow, and only those', () => {
    const wrong = cases.flatMap((c, i) =>
      messages[i].length > 0 !== c.refused ? [`${c.what}: expected ${c.refused ? 'refused' : 'allowed'}, ESLint said ${JSON.stringify(messages[i])}`] : [],
    );
    expect(wrong).toEqual([]);
    expect(cases.filter((c) => c.refused).length).toBeGreaterThan(50);
  });

  it('names the boundary in its message', () => {
    const i = cases.findIndex((c) => c.what === 'projections imports @cbec/messaging');
    expect(messages[i].join('\n')).toMatch(/libs\/projections may import only .*docs\/architecture\.md.*not messaging/);
  });
});
