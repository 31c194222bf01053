/**
 * `npm run bench:ui`: the workbench in Chromium (docs/performance.md, "bench:ui"). A temp data folder gets
 * 50,000 submitted P2a cases (appended to the store as the service stores them, so 我的待办 of FIN holds
 * 50,000 items) and one case whose award trace has 40 steps (submitted over HTTP with its customs figures).
 * Then, over several runs, each in a fresh browser context (cold cache):
 *   - login → 我的待办: the login page's navigation and paint timings, and the time from the 登录 click to the
 *     first page of the inbox on screen;
 *   - a reload of 我的待办 (a hard navigation while logged in): navigation, first contentful paint, first row;
 *   - 案件详情 of the 40-step case opened by its address: navigation, first contentful paint, the whole trace.
 * And the initial route's JavaScript, gzipped: what the login page loads (index.html's script and its
 * module preloads, and what Chromium fetched for it). A benchmark prints figures; it asserts nothing.
 * Last line: one JSON object. Options: --runs 5, --cases 50000. Env: CBEC_CHROMIUM (default /usr/bin/chromium).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openSqliteEventStore } from '@cbec/event-store';
import { loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import { SUBMISSION_BODY, submittedEvent } from './submission';
import { flag, freePort } from './bench-cli';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'workflow-api', 'src', 'main.js');
const WORKBENCH = join(ROOT, 'dist', 'workbench');
const CHROMIUM = process.env.CBEC_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'Bench-ui-2019';
const TRACE_USCC = '91341502MA2DEM002N';
/** Fees of the traced case: one trace step each, beside the program's fixed steps (40 in all). */
const TRACE_FEES = 28;

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** 50,000 ApplicationSubmitted events as the service stores them, 16 appenders at a time (the writer batches them). */
async function seed(dataDir: string, cases: number): Promise<number> {
  const store = openSqliteEventStore({ directory: dataDir, synchronous: 'NORMAL' });
  const template = JSON.parse(SUBMISSION_BODY) as Record<string, unknown>;
  const t0 = Date.now();
  let next = 0;
  const appender = async (): Promise<void> => {
    for (let i = next++; i < cases; i = next++) {
      const id = `bench-ui-${String(i).padStart(6, '0')}`;
      await store.append(`application-${id}`, [submittedEvent(id, template)], { expectedVersion: 'no-stream' });
    }
  };
  await Promise.all(Array.from({ length: 16 }, appender));
  await store.close();
  return Date.now() - t0;
}

function addAccount(dataDir: string): void {
  const args = [
    'apps/cli/launch.js',
    'users',
    'add',
    '--username',
    'bench-fin',
    '--unit',
    'FIN',
    '--role',
    'officer',
    '--display-name',
    '测试员',
    '--password-stdin',
  ];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, CBEC_DATA_DIR: dataDir }, input: `${PASSWORD}\n`, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`users add: exit ${run.status}\n${run.stdout}\n${run.stderr}`);
}

interface Server {
  url: (path: string) => string;
  child: ChildProcess;
}

async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), CBEC_DATA_DIR: dataDir, CBEC_RATE_COMMANDS_PER_IP: '1000000000', CBEC_RATE_COMMANDS_PER_USER: '1000000000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server = { url: (path: string) => `http://127.0.0.1:${port}${path}`, child };
  await until('the server answering /health', async () => ((await fetch(server.url('/health'))).status === 200 ? true : null), 120_000);
  return server;
}

/** The traced case: its customs figures imported, then submitted with TRACE_FEES invoiced fees. */
async function tracedCase(server: Server, dataDir: string): Promise<{ id: string; steps: number }> {
  const secret = loadOrCreateJwtSecret(dataDir);
  const bearer = (unit: string, role: string, uscc?: string) => `Bearer ${mintToken(secret, { sub: `bench-${unit}`, unit, role, ...(uscc ? { uscc } : {}) })}`;
  const csv =
    'year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd\n' +
    `2018,${TRACE_USCC},六安市示例跨境电商有限公司,0.00,20000.00,180000.00,1000000.00,\n2019,${TRACE_USCC},六安市示例跨境电商有限公司,30000.00,25000.00,260000.00,1100000.00,\n`;
  const imported = await fetch(server.url('/api/v1/customs-statistics'), {
    method: 'POST',
    headers: { Authorization: bearer('CUS', 'officer'), 'Content-Type': 'text/csv' },
    body: csv,
  });
  if (imported.status !== 201) throw new Error(`customs import: ${imported.status} ${await imported.text()}`);
  const fees = Array.from({ length: TRACE_FEES }, (_v, i) => ({ amountCny: '3000.00', invoiceRef: `INV-2019-${String(i + 1).padStart(4, '0')}` }));
  const body = {
    program: 'P2a',
    year: 2019,
    beneficiary: { uscc: TRACE_USCC, kind: 'enterprise', manufacturing: false },
    claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: fees },
  };
  const submitted = await fetch(server.url('/api/v1/applications'), {
    method: 'POST',
    headers: { Authorization: bearer('APPLICANT', 'applicant', TRACE_USCC), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await submitted.json()) as { applicationId: string; position: number };
  if (submitted.status !== 201) throw new Error(`submission: ${submitted.status} ${JSON.stringify(answer)}`);
  const detail = (await (
    await fetch(server.url(`/api/v1/applications/${answer.applicationId}?minPosition=${answer.position}`), {
      headers: { Authorization: bearer('FIN', 'officer') },
    })
  ).json()) as { awardPreview?: { trace?: unknown[] } };
  return { id: answer.applicationId, steps: detail.awardPreview?.trace?.length ?? 0 };
}

interface PageTimings {
  /** responseStart → domContentLoadedEventEnd / loadEventEnd of the document (ms from navigation start). */
  domContentLoaded: number;
  load: number;
  firstContentfulPaint: number | null;
}

/** What the page's own code (run in Chromium, not in Node, whose types have no DOM) reads of the browser. */
interface InPage {
  document: {
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
    querySelector(selector: string): { children: { length: number } } | null;
  };
  performance: {
    now(): number;
    getEntriesByType(type: string): { domContentLoadedEventEnd: number; loadEventEnd: number }[];
    getEntriesByName(name: string): { startTime: number }[];
  };
}

// Functions, not strings (the workbench's CSP, script-src 'self', refuses the eval a string predicate needs),
// each on its own: Playwright sends a function's text to the page, without what it closes over.
const PAGE_TIMINGS = (): PageTimings => {
  const { performance } = globalThis as unknown as InPage;
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, firstContentfulPaint: fcp ? fcp.startTime : null };
};
const INBOX_ROW_SHOWN = (): number | null => {
  const { document, performance } = globalThis as unknown as InPage;
  return Array.from(document.querySelectorAll('tr')).some((r) => (r.textContent ?? '').includes('待受理')) ? performance.now() : null;
};
const TRACE_SHOWN = (steps: number): number | null => {
  const { document, performance } = globalThis as unknown as InPage;
  const list = document.querySelector('ol[aria-label="计算过程"]');
  return list && list.children.length >= steps ? performance.now() : null;
};

async function pageTimings(page: Page): Promise<PageTimings> {
  return page.evaluate(PAGE_TIMINGS);
}

interface Run {
  loginPage: PageTimings;
  loginToInboxMs: number;
  inboxReload: PageTimings & { firstRowMs: number };
  caseOpen: PageTimings & { traceMs: number };
  loginScriptsGzipBytes: number;
}

async function oneRun(browser: Browser, server: Server, caseId: string, traceSteps: number): Promise<Run> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const scripts: Promise<number>[] = [];
  const onResponse = (r: import('playwright-core').Response): void => {
    if (r.request().resourceType() === 'script') scripts.push(r.body().then((b) => gzipSync(b, { level: 9 }).length));
  };
  page.on('response', onResponse);
  await page.goto(server.url('/login'), { waitUntil: 'load' });
  const loginPage = await pageTimings(page);
  page.off('response', onResponse);
  const loginScriptsGzipBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);

  await page.getByLabel('用户名').fill('bench-fin');
  await page.getByLabel('密码').fill(PASSWORD);
  const clicked = Date.now();
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('row').filter({ hasText: '待受理' }).first().waitFor();
  const loginToInboxMs = Date.now() - clicked;

  await page.reload({ waitUntil: 'commit' });
  const firstRowMs = await page.waitForFunction(INBOX_ROW_SHOWN);
  const inboxReload = { ...(await pageTimings(page)), firstRowMs: (await firstRowMs.jsonValue()) as number };

  await page.goto(server.url(`/cases/${caseId}`), { waitUntil: 'commit' });
  const traceShown = await page.waitForFunction(TRACE_SHOWN, traceSteps);
  const caseOpen = { ...(await pageTimings(page)), traceMs: (await traceShown.jsonValue()) as number };
  await context.close();
  return { loginPage, loginToInboxMs, inboxReload, caseOpen, loginScriptsGzipBytes };
}

/** index.html's own script and module preloads: the JavaScript the first page cannot do without. */
function entryJavaScriptGzip(): { files: string[]; rawBytes: number; gzipBytes: number } {
  const html = readFileSync(join(WORKBENCH, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const bytes = readFileSync(join(WORKBENCH, f));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, rawBytes, gzipBytes };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]);
};
const range = (xs: number[]): [number, number] => [Math.round(Math.min(...xs)), Math.round(Math.max(...xs))];

async function main(): Promise<void> {
  const runs = Number(flag('runs', '5'));
  const cases = Number(flag('cases', '50000'));
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk, or set CBEC_CHROMIUM)`);
  if (!existsSync(join(WORKBENCH, 'index.html'))) throw new Error('dist/workbench is missing: npm run build');
  const dataDir = mkdtempSync(join(tmpdir(), 'cbec-bench-ui-'));
  let server: Server | null = null;
  let browser: Browser | null = null;
  try {
    const seedMs = await seed(dataDir, cases);
    addAccount(dataDir);
    const started = Date.now();
    server = await startServer(dataDir);
    const s = server;
    const secret = loadOrCreateJwtSecret(dataDir);
    const fin = `Bearer ${mintToken(secret, { sub: 'bench-fin-token', unit: 'FIN', role: 'officer' })}`;
    const inboxTotal = await until(
      `我的待办 holding ${cases} cases`,
      async () => {
        const body = (await (await fetch(s.url('/api/v1/inbox?limit=1'), { headers: { Authorization: fin } })).json()) as { total?: number };
        return (body.total ?? 0) >= cases ? body.total! : null;
      },
      600_000,
    );
    const catchUpMs = Date.now() - started;
    const traced = await tracedCase(server, dataDir);
    console.log(
      `seeded ${cases} cases in ${seedMs} ms; the server showed them in 我的待办 ${catchUpMs} ms after its start; traced case ${traced.id}: ${traced.steps} steps`,
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const results: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await oneRun(browser, server, traced.id, traced.steps);
      results.push(r);
      console.log(
        `run ${i + 1}: login page FCP ${Math.round(r.loginPage.firstContentfulPaint ?? -1)} ms, load ${Math.round(r.loginPage.load)} ms; 登录 → inbox ${r.loginToInboxMs} ms; ` +
          `inbox reload FCP ${Math.round(r.inboxReload.firstContentfulPaint ?? -1)} ms, first row ${Math.round(r.inboxReload.firstRowMs)} ms; ` +
          `case FCP ${Math.round(r.caseOpen.firstContentfulPaint ?? -1)} ms, trace ${Math.round(r.caseOpen.traceMs)} ms`,
      );
    }
    const entry = entryJavaScriptGzip();
    const pick = (f: (r: Run) => number | null) => results.map(f).filter((x): x is number => x !== null);
    const summary = (f: (r: Run) => number | null) => ({ median: median(pick(f)), range: range(pick(f)) });
    const figures = {
      bench: 'ui',
      runs,
      cases,
      inboxTotal,
      traceSteps: traced.steps,
      seedMs,
      serverCatchUpMs: catchUpMs,
      loginPage: {
        fcpMs: summary((r) => r.loginPage.firstContentfulPaint),
        domContentLoadedMs: summary((r) => r.loginPage.domContentLoaded),
        loadMs: summary((r) => r.loginPage.load),
      },
      loginToInboxFirstPageMs: summary((r) => r.loginToInboxMs),
      inboxReload: {
        fcpMs: summary((r) => r.inboxReload.firstContentfulPaint),
        domContentLoadedMs: summary((r) => r.inboxReload.domContentLoaded),
        firstRowMs: summary((r) => r.inboxReload.firstRowMs),
      },
      caseWithTrace: {
        fcpMs: summary((r) => r.caseOpen.firstContentfulPaint),
        domContentLoadedMs: summary((r) => r.caseOpen.domContentLoaded),
        wholeTraceMs: summary((r) => r.caseOpen.traceMs),
      },
      initialJs: {
        files: entry.files.length,
        rawBytes: entry.rawBytes,
        gzipBytes: entry.gzipBytes,
        loadedByLoginPageGzipBytes: median(pick((r) => r.loginScriptsGzipBytes)),
        goalGzipBytes: 350_000,
      },
    };
    console.log(JSON.stringify(figures));
  } finally {
    await browser?.close();
    server?.child.kill('SIGTERM');
    if (server) await new Promise((r) => server!.child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
