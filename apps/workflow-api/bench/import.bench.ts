/**
 * `npm run bench:import`: customs imports of 10,000, 100,000 and 350,000 rows (CSV, UTF-8, ~140 bytes a
 * row, five years, new enterprises in each file) through a server started on a fresh temp data dir
 * (SQLite), over HTTP (POST /customs-statistics, answered 201 when stored). Prints rows/s of each, the
 * ratio of the largest's time to the smallest's (linear growth gives 35), the server's peak RSS, and
 * /health latency polled every 50 ms during the largest import, and the latency of a command (an
 * appropriation) sent every 250 ms meanwhile. A benchmark prints figures; it asserts
 * nothing. Last line: one JSON object of every figure.
 *
 * Options: --sizes 10000,100000,350000; --years 5 (1 to 5: how many year streams the rows spread over). Env: CBEC_SQLITE_SYNCHRONOUS=NORMAL (default FULL).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { usccCheckCharacter } from '@cbec/domain';
import { loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import { flag, freePort } from './bench-cli';

const HEADER = 'year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd';
const YEARS = [2016, 2017, 2018, 2019, 2020].slice(0, Number(flag('years', '5')));

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}/health did not answer within 60 s`);
}

function uscc(n: number): string {
  const first17 = `91341502MA${String(n).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

/** `rows` rows over five years; enterprises numbered from `first` (each file brings new ones). */
function customsCsv(rows: number, first: number): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const n = first + Math.floor(i / YEARS.length);
    const year = YEARS[i % YEARS.length];
    lines.push(`${year},${uscc(n)},六安市某某跨境电子商务有限公司${n},${(n % 90000) + 1}.25,${n % 5000}.00,${(n % 70000) + 10}.10,${(n % 900000) + 100}.90,`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

function processTree(pid: number | undefined): number[] {
  if (pid === undefined || !existsSync('/proc')) return [];
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [pid, ...children];
}

/** Peak resident set (VmHWM) of each process of the server, in MB. */
function peakRssMb(pids: number[]): number[] {
  return pids.flatMap((pid) => {
    try {
      const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kb ? [Math.round(Number(kb) / 1024)] : [];
    } catch {
      return [];
    }
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Polls /health every 50 ms until stopped, each poll's latency recorded; with `command`, that command
 * every 250 ms instead (another writer while the import holds the write lock), each to another stream.
 */
function pollHealth(
  url: string,
  command?: { path: (i: number) => string; token: string; body: unknown },
): { stop(): Promise<{ samples: number; failed: number; p50Ms: number; p99Ms: number; maxMs: number }> } {
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = 0;
  const failures: Record<string, number> = {};
  let sent = 0;
  const timer = setInterval(
    () => {
      const started = performance.now();
      const poll = (
        command
          ? fetch(`${url}${command.path(sent++)}`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${command.token}`, 'Content-Type': 'application/json' },
              body: JSON.stringify(command.body),
            })
          : fetch(`${url}/health`)
      )
        .then(async (res) => {
          const text = await res.text();
          if (!res.ok) {
            failed++;
            const key = `${res.status} ${/"code":"([^"]+)"/.exec(text)?.[1] ?? ''}`.trim();
            failures[key] = (failures[key] ?? 0) + 1;
          }
        })
        .catch((error: unknown) => {
          failed++;
          const key = `no answer: ${(error as Error).message}`;
          failures[key] = (failures[key] ?? 0) + 1;
        })
        .finally(() => {
          latencies.push(performance.now() - started);
          inFlight.delete(poll);
        });
      inFlight.add(poll);
    },
    command ? 250 : 50,
  );
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      const sorted = [...latencies].sort((a, b) => a - b);
      const round = (ms: number) => Math.round(ms * 10) / 10;
      return {
        samples: sorted.length,
        failed,
        failures,
        p50Ms: round(percentile(sorted, 50)),
        p99Ms: round(percentile(sorted, 99)),
        maxMs: round(sorted[sorted.length - 1] ?? NaN),
      };
    },
  };
}

async function main(): Promise<void> {
  const sizes = flag('sizes', '10000,100000,350000')
    .split(',')
    .map((s) => Number(s.trim()));
  const dataDir = mkdtempSync(join(tmpdir(), 'cbec-bench-import-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [resolve(__dirname, '../src/main.js')], {
    env: { ...process.env, PORT: String(port), CBEC_DATA_DIR: dataDir, CBEC_WORKERS: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealth(url, child);
    const token = mintToken(loadOrCreateJwtSecret(dataDir), { sub: 'cus-bench', unit: 'CUS', role: 'officer' });
    const runs: Array<{ rows: number; bytes: number; seconds: number; rowsPerSec: number; imported: number }> = [];
    const finHead = mintToken(loadOrCreateJwtSecret(dataDir), { sub: 'fin-bench', unit: 'FIN', role: 'head' });
    let health: Awaited<ReturnType<ReturnType<typeof pollHealth>['stop']>> | null = null;
    let commandsMeanwhile: Awaited<ReturnType<ReturnType<typeof pollHealth>['stop']>> | null = null;
    let first = 1;
    for (const [index, rows] of sizes.entries()) {
      const body = customsCsv(rows, first);
      first += Math.ceil(rows / YEARS.length);
      const largest = index === sizes.length - 1;
      const poller = largest ? pollHealth(url) : null;
      const commands = largest
        ? pollHealth(url, { path: (i) => `/api/v1/funds/${2030 + (i % 70)}/appropriations`, token: finHead, body: { amountCny: '1.00' } })
        : null;
      const started = performance.now();
      const res = await fetch(`${url}/api/v1/customs-statistics`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' },
        body,
      });
      const answer = (await res.json()) as { imported?: number; detail?: string };
      const seconds = (performance.now() - started) / 1000;
      if (poller) health = await poller.stop();
      if (commands) commandsMeanwhile = await commands.stop();
      if (res.status !== 201) throw new Error(`import of ${rows} rows answered ${res.status}: ${answer.detail ?? JSON.stringify(answer).slice(0, 500)}`);
      const run = {
        rows,
        bytes: body.length,
        seconds: Math.round(seconds * 100) / 100,
        rowsPerSec: Math.round(rows / seconds),
        imported: answer.imported ?? 0,
      };
      runs.push(run);
      console.log(`${rows} rows (${(body.length / 1e6).toFixed(1)} MB): ${run.seconds} s, ${run.rowsPerSec} rows/s, ${run.imported} imported`);
    }
    const rss = peakRssMb(processTree(child.pid));
    const ratio = runs.length > 1 ? Math.round((runs[runs.length - 1].seconds / runs[0].seconds) * 10) / 10 : null;
    if (health)
      console.log(
        `/health during the largest: p50 ${health.p50Ms} ms, p99 ${health.p99Ms} ms, max ${health.maxMs} ms (${health.samples} polls, ${health.failed} failed)`,
      );
    if (commandsMeanwhile) {
      const c = commandsMeanwhile;
      console.log(`a command every 250 ms during the largest: p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms, max ${c.maxMs} ms (${c.samples}, ${c.failed} failed)`);
    }
    console.log(`time ratio largest/smallest: ${ratio} (rows ratio ${sizes[sizes.length - 1] / sizes[0]}); server peak RSS ${rss.join(' + ')} MB`);
    console.log(JSON.stringify({ bench: 'import', runs, ratio, peakRssMb: Math.max(...rss), health, commandsMeanwhile }));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
