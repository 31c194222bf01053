import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allEvents, bearer, freePort, MAIN, requireBuild, ROOT } from './support/process-child-server';

/**
 * `CBEC_WORKERS=2`: the built server as a cluster (a primary and two HTTP workers on one port and one
 * data dir). Which worker served a request is read from the OS (/proc: the worker process holding the
 * server end of the client's TCP connection), so the tests know they went through both.
 */

jest.setTimeout(120_000);

const USCC = '91341502MA2DEM001K';
const CUSTOMS_CSV = readFileSync(join(ROOT, 'infra', 'data', 'demo', 'customs-demo.csv'), 'utf8');
const onLinux = existsSync('/proc/net/tcp');
const LINUX_ONLY = 'which worker served a connection is read from /proc/net/tcp (Linux only)';
if (!onLinux) console.log(`SKIPPED: two cluster-mode tests: ${LINUX_ONLY}`);
/** The tests that pin a connection to one worker: skipped (and counted so) where /proc/net/tcp is missing. */
const itOnLinux = onLinux ? it : it.skip;

interface Cluster {
  port: number;
  primary: ChildProcess;
  output(): string;
  /** Slot -> pid of the worker currently listening in it (from the primary's log). */
  workers(): Map<number, number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startCluster(dataDir: string, workers = 2): Promise<Cluster> {
  requireBuild();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CBEC_DATA_DIR: dataDir, CBEC_WORKERS: String(workers), CBEC_PROCESS_TICK_MS: '100' };
  for (const name of ['EVENTSTORE_CONNECTION_STRING', 'KAFKA_BROKERS', 'CBEC_CLOCK_OFFSET_MS', 'CBEC_FIXED_NOW']) delete env[name];
  const primary = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  primary.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  primary.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => primary.once('exit', (code, signal) => r({ code, signal })));
  const cluster: Cluster = {
    port,
    primary,
    output: () => log,
    workers: () => {
      const slots = new Map<number, number>();
      // eslint-disable-next-line no-control-regex
      for (const m of log.replace(/\x1b\[[0-9;]*m/g, '').matchAll(/worker (\d+) \(pid (\d+)\) listening/g)) slots.set(Number(m[1]), Number(m[2]));
      return slots;
    },
    exited,
  };
  await until(
    `${workers} workers listening`,
    () => cluster.workers().size === workers && log.includes(`${workers} workers serve port`),
    60_000,
    () => log,
  );
  return cluster;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** The client's end of the TCP connection that carried it. */
  localPort: number;
}

function send(agent: Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, localPort: req.socket!.localPort! }),
      );
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The pid of the process holding the server end of the connection from client port `localPort` (Linux /proc). */
function serverPidOf(localPort: number, serverPort: number, candidates: number[]): number | null {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  let inode: string | null = null;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      // Server side: local port = the server's, remote port = the client's.
      if (cols[1].endsWith(`:${hex(serverPort)}`) && cols[2].endsWith(`:${hex(localPort)}`)) inode = cols[9];
    }
  }
  if (!inode) return null;
  for (const pid of candidates) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      }
    } catch {
      // gone
    }
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

const count = (events: { type: string }[], type: string) => events.filter((e) => e.type === type).length;

describe('CBEC_WORKERS=2: two HTTP workers on one port and one data dir (built server)', () => {
  let dataDir: string;
  let cluster: Cluster | null = null;
  const agents: Agent[] = [];
  const agent = (maxSockets: number) => {
    const a = new Agent({ keepAlive: true, maxSockets });
    agents.push(a);
    return a;
  };

  beforeAll(() => requireBuild());
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cbec-cluster-'));
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) a.destroy();
    if (cluster && cluster.primary.exitCode === null && cluster.primary.signalCode === null) {
      cluster.primary.kill('SIGTERM');
      await cluster.exited;
    }
    cluster = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  itOnLinux(
    'given concurrent submissions spread over both workers, when they land, each is stored once, and a key repeated across workers stores once',
    async () => {
      cluster = await startCluster(dataDir);
      const c = cluster;
      const pids = [...c.workers().values()];
      const applicant = bearer(dataDir, 'APPLICANT', 'applicant', USCC);
      const body = {
        program: 'P2a',
        year: 2019,
        beneficiary: { uscc: USCC, kind: 'enterprise', manufacturing: false },
        claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: [{ amountCny: '1000.00', invoiceRef: 'INV-1' }] },
      };
      const pool = agent(8);
      const answers = await Promise.all(Array.from({ length: 80 }, () => send(pool, c.port, 'POST', '/api/v1/applications', applicant, body)));
      expect(answers.map((a) => a.status)).toEqual(Array(80).fill(201));
      // The keep-alive connections are still open: whose worker served each.
      const servedBy = new Set(answers.map((a) => serverPidOf(a.localPort, c.port, pids)));
      expect(servedBy).toEqual(new Set(pids));

      // One Idempotency-Key, sent at once on connections to both workers.
      const repeated = await Promise.all(
        Array.from({ length: 8 }, () => send(pool, c.port, 'POST', '/api/v1/applications', { ...applicant, 'Idempotency-Key': 'cluster-key-1' }, body)),
      );
      expect(new Set(repeated.map((a) => serverPidOf(a.localPort, c.port, pids)))).toEqual(new Set(pids));
      expect(repeated.map((a) => a.status)).toEqual(Array(8).fill(201));
      const repeatedIds = new Set(repeated.map((a) => a.body.applicationId));
      expect(repeatedIds.size).toBe(1);

      const ids = new Set(answers.map((a) => a.body.applicationId as string));
      expect(ids.size).toBe(80);
      const events = await allEvents(dataDir);
      const submitted = events.filter((e) => e.type === 'ApplicationSubmitted');
      expect(submitted).toHaveLength(81);
      expect(new Set(submitted.map((e) => e.streamId))).toEqual(new Set([...ids, ...repeatedIds].map((id) => `application-${id}`)));
      // Global positions are unique and gapless: no event was written twice or lost.
      expect(events.map((e) => e.globalPosition)).toEqual(events.map((_, i) => i + 1));

      // The read side (one shared read-models.db, a runner in each worker) counts every case once.
      const fin = bearer(dataDir, 'FIN', 'officer');
      const last = Math.max(...answers.map((a) => a.body.position as number), ...repeated.map((a) => a.body.position as number));
      for (const pid of pids) {
        const onWorker = await onConnectionTo(pid, c, pids);
        const inbox = await send(onWorker, c.port, 'GET', `/api/v1/inbox?limit=1&minPosition=${last}`, fin);
        expect(inbox.status).toBe(200);
        expect(inbox.body.total).toBe(81);
      }
    },
  );

  /** A keep-alive agent whose one connection is served by worker `pid` (new connections until one is). */
  async function onConnectionTo(pid: number, c: Cluster, pids: number[]): Promise<Agent> {
    for (let i = 0; i < 20; i++) {
      const a = agent(1);
      const probe = await send(a, c.port, 'GET', '/health', {});
      if (serverPidOf(probe.localPort, c.port, pids) === pid) return a;
      a.destroy();
    }
    throw new Error(`no connection reached worker pid ${pid} in 20 tries`);
  }

  itOnLinux('carries a P2a case from customs import to payment, each step on one worker and read back on the other with minPosition', async () => {
    cluster = await startCluster(dataDir);
    const c = cluster;
    const pids = [...c.workers().values()];
    const [one, two] = [await onConnectionTo(pids[0], c, pids), await onConnectionTo(pids[1], c, pids)];
    const auth = (unit: string, role: string, uscc?: string) => bearer(dataDir, unit, role, uscc);
    const applicant = auth('APPLICANT', 'applicant', USCC);

    const imported = await send(one, c.port, 'POST', '/api/v1/customs-statistics', { ...auth('CUS', 'officer'), 'Content-Type': 'text/csv' }, CUSTOMS_CSV);
    expect(imported.status).toBe(201);
    const funded = await send(two, c.port, 'POST', '/api/v1/funds/2019/appropriations', auth('FIN', 'head'), { amountCny: '5000000.00' });
    expect(funded.status).toBe(201);
    const fundRead = await send(one, c.port, 'GET', `/api/v1/funds/2019?minPosition=${funded.body.position}`, auth('FIN', 'head'));
    expect(fundRead.body).toMatchObject({ appropriationCny: '5000000.00' });

    const submitted = await send(one, c.port, 'POST', '/api/v1/applications', applicant, {
      program: 'P2a',
      year: 2019,
      beneficiary: { uscc: USCC, kind: 'enterprise', manufacturing: false },
      claims: {
        promotesOnThirdPartyPlatform: true,
        platformFeesCny: [
          { amountCny: '120000.00', invoiceRef: 'INV-2019-0731' },
          { amountCny: '30000.00', invoiceRef: 'INV-2019-1120' },
        ],
      },
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.applicationId as string;
    // Each write on one worker, the read of it on the other, which waits for the written position.
    const readBack = async (writer: Agent, answer: Answer, status: string) => {
      expect(answer.status).toBe(201);
      const reader = writer === one ? two : one;
      const view = await send(reader, c.port, 'GET', `/api/v1/applications/${id}?minPosition=${answer.body.position}`, applicant);
      expect(view.status).toBe(200);
      expect(view.body.status).toBe(status);
    };
    await readBack(one, submitted, 'submitted');
    await readBack(two, await send(two, c.port, 'POST', `/api/v1/applications/${id}/acceptance`, auth('FIN', 'officer'), {}), 'under-review');
    await readBack(
      one,
      await send(one, c.port, 'POST', `/api/v1/applications/${id}/opinions`, auth('COM', 'officer'), { verdict: 'approve', comment: 'COM' }),
      'under-review',
    );
    await readBack(
      two,
      await send(two, c.port, 'POST', `/api/v1/applications/${id}/opinions`, auth('CUS', 'officer'), { verdict: 'approve', comment: 'CUS' }),
      'under-review',
    );
    await readBack(
      one,
      await send(one, c.port, 'POST', `/api/v1/applications/${id}/opinions`, auth('PBC', 'officer'), { verdict: 'approve', comment: 'PBC' }),
      'ready-for-decision',
    );
    const approved = await send(two, c.port, 'POST', `/api/v1/applications/${id}/approval`, auth('FIN', 'head'), {});
    expect(approved.body).toMatchObject({ amountCny: '100000.00' });
    await readBack(two, approved, 'approved');
    // 公示: the other worker refuses the payment during the publicity, from the same case state.
    const early = await send(one, c.port, 'POST', `/api/v1/applications/${id}/disbursement`, auth('FIN', 'officer'), { paymentRef: 'PAY-CLUSTER-1' });
    expect(early).toMatchObject({ status: 422, body: { code: 'publicity-not-over' } });
    const fund = await send(two, c.port, 'GET', `/api/v1/funds/2019?minPosition=${approved.body.position}`, auth('FIN', 'head'));
    expect(fund.body).toMatchObject({ committedCny: '100000.00', disbursedCny: '0.00', availableCny: '4900000.00', allocations: 1 });

    // Both workers' approval processes and digest writers have seen every event by now; give them ticks.
    await new Promise((r) => setTimeout(r, 1500));
    const events = await allEvents(dataDir);
    expect(events.filter((e) => e.streamId === `application-${id}`).map((e) => e.type)).toEqual([
      'ApplicationSubmitted',
      'CaseAccepted',
      'ReviewOpinionRecorded',
      'ReviewOpinionRecorded',
      'ReviewOpinionRecorded',
      'ApplicationReadyForDecision',
      'AwardApproved',
    ]);
    const fundEvents = events.filter((e) => e.streamId === 'fund-2019');
    expect(count(fundEvents, 'FundsCommitted')).toBe(1);
    expect(count(fundEvents, 'FundPaymentRecorded')).toBe(0);
    const beneficiary = events.filter((e) => e.streamId === `beneficiary-${USCC}`);
    expect(beneficiary.length).toBeGreaterThan(0);
    expect(new Set(beneficiary.map((e) => e.type)).size).toBe(beneficiary.length);
  });

  it('restarts a crashed worker in its slot; SIGKILL of the primary leaves no worker holding the port', async () => {
    cluster = await startCluster(dataDir);
    const c = cluster;
    const before = c.workers();
    process.kill(before.get(2)!, 'SIGKILL');
    await until('worker 2 restarted', () => c.workers().get(2) !== before.get(2) && alive(c.workers().get(2)!), 30_000, c.output);
    expect(c.output()).toMatch(/worker 2 \(pid \d+\) exited with signal SIGKILL; restarting it \(restart 1 of at most 5/);
    expect(c.workers().get(1)).toBe(before.get(1));
    const health = await fetch(`http://127.0.0.1:${c.port}/health`);
    expect(health.status).toBe(200);

    const workerPids = [...c.workers().values()];
    c.primary.kill('SIGKILL');
    await c.exited;
    await until('the workers exit after their primary', () => workerPids.every((pid) => !alive(pid)), 10_000);
    expect(await portIsFree(c.port)).toBe(true);
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    cluster = await startCluster(dataDir);
    const c = cluster;
    const workerPids = [...c.workers().values()];
    c.primary.kill('SIGTERM');
    expect(await c.exited).toEqual({ code: 0, signal: null });
    expect(workerPids.filter(alive)).toEqual([]);
    expect(c.output()).toMatch(/worker 1 \(pid \d+\) stopped \(signal SIGTERM\)/);
    expect(c.output()).toMatch(/worker 2 \(pid \d+\) stopped \(signal SIGTERM\)/);
  });

  it('refuses a CBEC_WORKERS that is not a count with one line and exit code 1', async () => {
    for (const bad of ['0', 'two', '-1', '1.5']) {
      const child = spawn(process.execPath, [MAIN], {
        cwd: ROOT,
        env: { ...process.env, CBEC_WORKERS: bad, CBEC_DATA_DIR: dataDir, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(1);
      expect(out).toBe(`CBEC_WORKERS must be an integer >= 1 or "auto", got ${JSON.stringify(bad)}\n`);
    }
  });
});
