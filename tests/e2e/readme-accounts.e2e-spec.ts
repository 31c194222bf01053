import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ServerProcess, startServer } from './support/process-child-server';

/**
 * The README's "Accounts and login" section, run as printed against the built server: the first account
 * made with the CLI, then the curl login with a cookie jar and the CSRF header. Only the data folder, the
 * port and the jar's place are changed.
 */
jest.setTimeout(120_000);

const SECTION = '## Accounts and login';

function blocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const end = readme.indexOf('\n## ', start + SECTION.length);
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const missing = ['bash', 'curl'].filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error);
if (missing.length) console.log(`README accounts section SKIPPED: ${missing.join(' and ')} not found on PATH; install them to run it`);

(missing.length ? describe.skip : describe)('README: accounts and login', () => {
  let dataDir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cbec-readme-accounts-'));
    server = await startServer(dataDir);
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says at start how to create the first account, and the printed commands log in and act by cookie', () => {
    expect(server.output()).toContain('no accounts yet: create the first administrator with');
    const [create, login] = blocks();
    const localize = (script: string): string =>
      script
        .replaceAll('CBEC_DATA_DIR=./data', `CBEC_DATA_DIR=${dataDir}`)
        .replaceAll('localhost:3000', `localhost:${server.port}`)
        .replaceAll(' jar ', ` ${join(dataDir, 'jar')} `);
    const env = { ...process.env };
    delete env.CBEC_DATA_DIR;
    const created = spawnSync('bash', ['-euo', 'pipefail', '-c', localize(create)], { cwd: ROOT, env, encoding: 'utf8' });
    expect({ status: created.status, stderr: created.stderr }).toEqual({ status: 0, stderr: '' });
    expect(created.stdout).toMatch(/"username": "fin-head"/);

    const ran = spawnSync('bash', ['-euo', 'pipefail', '-c', localize(login)], { cwd: ROOT, env, encoding: 'utf8' });
    expect({ status: ran.status, stderr: ran.stderr }).toEqual({ status: 0, stderr: '' });
    const answers = jsonValues(ran.stdout);
    expect(answers[0]).toMatchObject({ user: 'fin-head', displayName: '张三', unit: 'FIN', role: 'head', authenticatedBy: 'session' });
    expect(answers[1]).toMatchObject({ version: 0 });
    expect(answers[1].status).toBeUndefined();
    expect(answers).toHaveLength(2);
  });
});

/** The JSON answers curl printed one after the other (curl adds no newline after a body). */
function jsonValues(text: string): Array<Record<string, unknown>> {
  const values: Array<Record<string, unknown>> = [];
  let rest = text.trim();
  while (rest) {
    let end = rest.indexOf('}') + 1;
    for (;;) {
      if (end <= 0) throw new Error(`not JSON: ${rest}`);
      try {
        values.push(JSON.parse(rest.slice(0, end)) as Record<string, unknown>);
        break;
      } catch {
        end = rest.indexOf('}', end) + 1;
      }
    }
    rest = rest.slice(end).trim();
  }
  return values;
}
