import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run cli` (node apps/cli/launch.js) in a checkout laid out like this one: the launcher is copied into a
 * temporary project root, with or without a built dist/apps/cli/src/main.js.
 */
describe('npm run cli: the launcher of the built CLI', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cbec-cli-launch-'));
    mkdirSync(join(root, 'apps/cli'), { recursive: true });
    copyFileSync(join(__dirname, 'launch.js'), join(root, 'apps/cli/launch.js'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const launch = (...args: string[]) => spawnSync(process.execPath, ['apps/cli/launch.js', ...args], { cwd: root, encoding: 'utf8' });

  it('before a build says to run `npm run build` first: one JSON line on stderr, exit 2, no stack', () => {
    const run = launch('token', '--sub', 'zhao');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({
      error: 'the CLI is not built (dist/apps/cli/src/main.js is missing): run `npm run build` first',
    });
  });

  it('after a build runs the built CLI with the arguments given', () => {
    mkdirSync(join(root, 'dist/apps/cli/src'), { recursive: true });
    writeFileSync(join(root, 'dist/apps/cli/src/main.js'), 'process.stdout.write(JSON.stringify(process.argv.slice(2)));');
    const run = launch('token', '--sub', 'zhao');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['token', '--sub', 'zhao']);
  });
});
