import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { bearer, ROOT, type ServerProcess, startServer } from '../../e2e/support/process-child-server';

/**
 * The browser tier's harness (docs/workbench.md, "Tests"): the built server on a free port and a fresh data
 * folder, accounts made with the CLI as docs/operations.md makes them, and Debian's Chromium driven headless by
 * playwright-core with a fresh profile. Every console error and uncaught page error is collected.
 */
export const CHROMIUM = process.env.CBEC_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
export const PASSWORD = 'Lu-an-2019';

export interface Person {
  username: string;
  unit: string;
  role: string;
  displayName: string;
  uscc?: string;
}

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing: CI installs it (apt-get install -y chromium fonts-noto-cjk, .ci/run); the browser tests cannot run without it`);
}
if (!haveChromium) console.log(`tests/ui skipped: ${CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk to run them)`);
/** `describe` with Chromium, `describe.skip` (after the printed line above) without it. */
export const describeInBrowser = haveChromium ? describe : describe.skip;

export function addAccount(dataDir: string, p: Person): void {
  const args = [
    'apps/cli/launch.js',
    'users',
    'add',
    '--username',
    p.username,
    '--unit',
    p.unit,
    '--role',
    p.role,
    '--display-name',
    p.displayName,
    '--password-stdin',
  ];
  if (p.uscc) args.push('--uscc', p.uscc);
  const run = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, CBEC_DATA_DIR: dataDir }, input: `${PASSWORD}\n`, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`users add ${p.username}: exit ${run.status}\n${run.stdout}\n${run.stderr}`);
}

/**
 * Chromium headless with a fresh profile (`userDataDir`), in Chinese and Beijing time. The system setting for
 * reduced motion is on, as a person may set it: the workbench then shows dialogs, menus and pickers at once
 * (docs/workbench.md). With antd's zoom and slide-in motion, a busy machine (CI: two spec files beside each other
 * on 2 cores) let a click land on a dialog's 确定 while it was still zooming in, or the dialog take the focus
 * back after a field had been typed into, and the step was lost.
 */
export function launchChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 860 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
}

/** The context's page, waiting up to a minute per step before it counts as failed (the machine may be busy). */
export async function firstPage(context: BrowserContext): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(60_000);
  return page;
}

export class WorkbenchBrowser {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'cbec-ui-'));
  private readonly userDataDir = mkdtempSync(join(tmpdir(), 'cbec-ui-chromium-'));
  server!: ServerProcess;
  context!: BrowserContext;
  page!: Page;
  readonly consoleErrors: string[] = [];

  /** Starts the server with `env` (a pinned clock: CBEC_FIXED_NOW) and the browser. */
  async start(env: Record<string, string>, people: Person[]): Promise<void> {
    this.server = await startServer(this.dataDir, env);
    for (const p of people) addAccount(this.dataDir, p);
    this.context = await launchChromium(this.userDataDir);
    this.page = await firstPage(this.context);
    this.page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(`${this.page.url()}: ${message.text()}`);
    });
    this.page.on('pageerror', (error) => this.consoleErrors.push(`${this.page.url()}: ${error.message}`));
    mkdirSync(SCREENSHOTS, { recursive: true });
  }

  /** The server stopped and started again on the same data folder with `env`: e.g. its clock pinned later. */
  async restartServer(env: Record<string, string>): Promise<void> {
    // The page leaves the old server first: a request of its still in flight when the server dies would be logged as
    // the page's console error (net::ERR_SOCKET_NOT_CONNECTED), which the specs count.
    await this.page.goto('about:blank');
    await this.server.kill();
    this.server = await startServer(this.dataDir, env);
  }

  async close(): Promise<void> {
    await this.context?.close();
    await this.server?.kill();
    for (const dir of [this.dataDir, this.userDataDir]) rmSync(dir, { recursive: true, force: true });
  }

  url(path: string): string {
    return this.server.url(path);
  }

  /** A call of the HTTP API with a minted Bearer token of `unit`/`role`, for the setup the test is not about. */
  async api(method: 'GET' | 'POST', path: string, unit: string, role: string, body?: unknown, uscc?: string): Promise<Record<string, unknown>> {
    const headers = bearer(this.dataDir, unit, role, uscc);
    const res = await fetch(this.url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} as ${unit}/${role}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  /** The demo customs figures (infra/data/demo) and a 2019 appropriation: what a P2a case needs to be approved. */
  async seedCustomsAndFund(): Promise<void> {
    const imported = await fetch(this.url('/api/v1/customs-statistics'), {
      method: 'POST',
      headers: { Authorization: bearer(this.dataDir, 'CUS', 'officer').Authorization, 'Content-Type': 'text/csv' },
      body: readFileSync(join(ROOT, 'infra', 'data', 'demo', 'customs-demo.csv')),
    });
    if (imported.status !== 201) throw new Error(`customs import: ${imported.status} ${await imported.text()}`);
    await this.api('POST', '/api/v1/funds/2019/appropriations', 'FIN', 'head', { amountCny: '5000000.00' });
  }

  async logIn(username: string): Promise<void> {
    await this.page.goto(this.url('/login'));
    await this.page.getByLabel('用户名').fill(username);
    await this.page.getByLabel('密码').fill(PASSWORD);
    await this.page.getByRole('button', { name: '登录' }).click();
    await this.page.getByRole('button', { name: '退出登录' }).waitFor();
  }

  async logOut(): Promise<void> {
    await this.page.getByRole('button', { name: '退出登录' }).click();
    await this.page.getByRole('button', { name: '登录' }).waitFor();
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
  }

  /** What the page says, for a failure message. */
  async bodyText(): Promise<string> {
    return this.page.locator('body').innerText();
  }
}

/** A P2a submission of `uscc` (the demo customs figures cover it), as the API takes it. */
export function p2a(uscc: string, fees: string[] = ['120000.00', '30000.00']): Record<string, unknown> {
  return {
    program: 'P2a',
    year: 2019,
    beneficiary: { uscc, kind: 'enterprise', manufacturing: false },
    claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: fees },
  };
}
