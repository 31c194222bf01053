import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, call, ROOT, ServerProcess, startServer } from './support/process-child-server';
import { engineEnv } from './support/e2e-engine';

/**
 * The README's walkthrough ("Walk a P2a case through with curl"), run as printed: its shell blocks, in
 * order, in one bash session from the project root against the built server, and every answer compared
 * with the JSON the README prints under the block. Only what a reader would change anyway is changed:
 * the data folder (a temp one) and the port (a free one). The server is the one `npm start` starts after
 * its build (`npm test` has built it), with its clock pinned to the day the printed answers were taken,
 * because the review due date counts from the acceptance day. A reader types slower than the read side
 * catches up: before each block the test waits for the read models to include the last answer's
 * `position`, as `?minPosition=` does.
 */
jest.setTimeout(120_000);

const SECTION = '## Walk a P2a case through with curl';
/** The README says the acceptance answer (its due date) was taken on this day. */
const PRINTED_ON = '2026-11-25T02:00:00.000Z';

interface Block {
  script: string;
  /** The JSON printed under the block: the block's last answer must equal it ("…" stands for any string). */
  expected: unknown;
}

/** The section's fenced blocks: each `sh` block with the `json` block that follows it, if any. */
function walkthrough(): Block[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const end = readme.indexOf('\n## ', start + SECTION.length);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks: Block[] = [];
  for (const [, lang, body] of section.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    if (lang === 'sh') blocks.push({ script: body, expected: undefined });
    else if (lang === 'json') {
      const last = blocks[blocks.length - 1];
      if (!last || last.expected !== undefined) throw new Error(`a json block in "${SECTION}" follows no sh block:\n${body}`);
      last.expected = JSON.parse(body) as unknown;
    }
  }
  return blocks;
}

/** The printed JSON as a matcher: a string with "…" (an id the reader's run will differ in) matches any string. */
function asMatcher(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('…') ? expect.any(String) : value;
  if (Array.isArray(value)) return value.map(asMatcher);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asMatcher(v)]));
  return value;
}

/**
 * The README's audit block after the walkthrough ("Check what happened"): each command with the answer its comment shows, a
 * partial JSON (`...` stands for what is left out): `# {"ok": true, ...}` or `# "rendered": ["a", ...]`.
 */
function auditCommands(): Array<{ command: string; shown: unknown }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('After the P2a walk-through above');
  if (start < 0) throw new Error('README.md no longer runs audit commands "After the P2a walk-through above"');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))![1];
  return block
    .trim()
    .split('\n')
    .map((line) => {
      const [command, comment] = line.split(/\s+#\s+/);
      if (!comment) return { command, shown: undefined };
      const json = comment.replace(/,\s*\.\.\.(?=\s*[}\]])/g, '');
      return { command, shown: JSON.parse(json.startsWith('{') ? json : `{${json}}`) as unknown };
    });
}

/** A partial answer as a matcher: the fields and items it shows, among others. */
function partial(value: unknown): unknown {
  if (Array.isArray(value)) return expect.arrayContaining(value.map(partial));
  if (value && typeof value === 'object') return expect.objectContaining(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, partial(v)])));
  return value;
}

/** What a block printed: its JSON answers (curl -s prints them back to back) and its other lines. */
function answersIn(output: string): { json: unknown[]; text: string[] } {
  const json: unknown[] = [];
  const text: string[] = [];
  let i = 0;
  while (i < output.length) {
    const c = output[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '{' || c === '[') {
      let depth = 0;
      let inString = false;
      let j = i;
      for (; j < output.length; j++) {
        const d = output[j];
        if (inString) {
          if (d === '\\') j++;
          else if (d === '"') inString = false;
        } else if (d === '"') inString = true;
        else if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') {
          depth--;
          if (depth === 0) break;
        }
      }
      json.push(JSON.parse(output.slice(i, j + 1)) as unknown);
      i = j + 1;
    } else {
      const eol = output.indexOf('\n', i);
      text.push(output.slice(i, eol < 0 ? undefined : eol).trim());
      i = eol < 0 ? output.length : eol + 1;
    }
  }
  return { json, text };
}

/** One bash reading the blocks from its stdin, as a terminal would: variables carry over from block to block. */
class Shell {
  private readonly bash: ChildProcessWithoutNullStreams;
  private stdout = '';
  private stderr = '';
  private blockNo = 0;

  constructor(env: NodeJS.ProcessEnv) {
    this.bash = spawn('bash', ['-s'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.bash.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.bash.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.bash.stdin.write('set -o pipefail\n');
  }

  /** Runs a block; resolves with what it printed on stdout once its marker line comes back. */
  async run(script: string): Promise<{ stdout: string; stderr: string; status: number }> {
    const marker = `@@block-${++this.blockNo}-done@@`;
    const from = { out: this.stdout.length, err: this.stderr.length };
    this.bash.stdin.write(`${script}\nprintf '\\n${marker} %s\\n' "$?"\n`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const at = this.stdout.indexOf(marker, from.out);
      if (at >= 0) {
        const status = Number(/^ (\d+)/.exec(this.stdout.slice(at + marker.length))?.[1] ?? NaN);
        return { stdout: this.stdout.slice(from.out, at), stderr: this.stderr.slice(from.err), status };
      }
      if (this.bash.exitCode !== null) throw new Error(`bash exited (${this.bash.exitCode}) in block ${this.blockNo}:\n${this.stderr.slice(from.err)}`);
      if (Date.now() > deadline)
        throw new Error(`block ${this.blockNo} did not finish within 60 s:\n${this.stdout.slice(from.out)}\n${this.stderr.slice(from.err)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.bash.stdin.end();
    this.bash.kill();
  }
}

/** The walkthrough is bash and curl, as a reader runs it; a machine without them cannot run it. */
const missing = ['bash', 'curl'].filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error);
if (missing.length) console.log(`README walkthrough SKIPPED: ${missing.join(' and ')} not found on PATH; install them to run it`);

(missing.length ? describe.skip : describe)('README: walk a P2a case through with curl', () => {
  let dataDir: string;
  let server: ServerProcess;
  let shell: Shell;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cbec-readme-'));
    server = await startServer(dataDir, { CBEC_FIXED_NOW: PRINTED_ON });
  });
  afterAll(async () => {
    shell?.close();
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let bundleDir: string;
  afterAll(() => bundleDir && rmSync(bundleDir, { recursive: true, force: true }));

  it('runs every block as printed, each answer equal to the JSON printed under it', async () => {
    const [startBlock, ...blocks] = walkthrough();
    // The first block starts the server (this test started it the same way, on its own folder and port).
    expect(startBlock.script).toMatch(/^export CBEC_DATA_DIR=\.\/data-demo PORT=3000\nnpm start\n$/);
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    // The CLI reads the log where the server writes it (its database in the project e2e-pg).
    const env: NodeJS.ProcessEnv = { ...process.env, ...(await engineEnv(dataDir)) };
    delete env.CBEC_DATA_DIR;
    shell = new Shell(env);
    const localize = (script: string): string => script.replaceAll('./data-demo', dataDir).replaceAll('localhost:3000', `localhost:${server.port}`);
    const audit = bearer(dataDir, 'AUDIT', 'auditor');
    let position = 0;

    for (const [index, block] of blocks.entries()) {
      const step = `block ${index + 2} of the walkthrough:\n${block.script}`;
      if (position > 0) {
        const caughtUp = await call(server, 'GET', `/api/v1/applications?limit=1&minPosition=${position}`, audit);
        expect({ step, status: caughtUp.status }).toEqual({ step, status: 200 });
      }
      const ran = await shell.run(localize(block.script));
      expect({ step, status: ran.status, stderr: ran.stderr }).toEqual({ step, status: 0, stderr: '' });
      const { json, text } = answersIn(ran.stdout);
      for (const answer of json) {
        // A refusal is a problem document (a numeric `status`); the walkthrough has none.
        expect({ step, answer }).toEqual({ step, answer: expect.not.objectContaining({ status: expect.any(Number) }) });
        const at = (answer as { position?: unknown }).position;
        if (typeof at === 'number') position = Math.max(position, at);
      }
      // Besides JSON, a block prints only ids (`echo $ID`) and the empty lines between answers.
      for (const line of text)
        expect({ step, line }).toEqual({ step, line: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) });
      if (block.expected !== undefined) {
        expect({ step, answer: json[json.length - 1] }).toEqual({ step, answer: asMatcher(block.expected) });
      }
    }

    // The case ends where step 12 says: revoked, its recovery order settled.
    const ids = (await call(server, 'GET', `/api/v1/applications?minPosition=${position}`, audit)).body as { items?: Array<{ applicationId: string }> };
    expect(ids.items).toHaveLength(1);
    const detail = await call(server, 'GET', `/api/v1/applications/${ids.items![0].applicationId}`, audit);
    expect(detail.body).toMatchObject({ status: 'revoked', award: { amountCny: '100000.00' }, recoveries: [{ amountCny: '100000.00', settled: true }] });
  });
  it('then the audit commands after it, on the same data, answer as their comments show', async () => {
    bundleDir = mkdtempSync(join(tmpdir(), 'cbec-readme-bundle-'));
    rmSync(bundleDir, { recursive: true });
    const commands = auditCommands();
    expect(commands.map((c) => c.command.split(' -- ')[1]?.split(' ').slice(0, 2).join(' '))).toEqual([
      'audit verify',
      'audit explain',
      'audit export',
      'audit verify-bundle',
    ]);
    for (const { command, shown } of commands) {
      const ran = await shell.run(command.replaceAll('./bundle', bundleDir));
      expect({ command, status: ran.status, stderr: ran.stderr }).toEqual({ command, status: 0, stderr: '' });
      if (shown !== undefined) expect({ command, answer: JSON.parse(ran.stdout) as unknown }).toEqual({ command, answer: partial(shown) });
    }
  });
});
