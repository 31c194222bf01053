import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, requireBuild, ROOT } from './support/process-child-server';

/**
 * What a new user sees when `npm start` cannot start: one line saying what is wrong and what to do,
 * exit 1, no stack trace.
 */
jest.setTimeout(60_000);

function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe('starting the server', () => {
  let dataDir: string;
  beforeAll(() => requireBuild());
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cbec-startup-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says the port is in use and how to choose another, without a stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, output } = await run({ PORT: String(port), CBEC_DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(output).toMatch(new RegExp(`port ${port} is already in use`));
      expect(output).toMatch(/PORT=/);
      expect(output).not.toMatch(STACK_LINE);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('names a bad PORT without a stack trace', async () => {
    const { code, output } = await run({ PORT: 'eighty', CBEC_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toMatch(/PORT must be a port number, got eighty/);
    expect(output).not.toMatch(STACK_LINE);
  });
});
