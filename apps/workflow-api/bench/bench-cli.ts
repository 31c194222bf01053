import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** `--name value` of the benchmark's command line, or `fallback`. */
export function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** A TCP port free on loopback now, for a server the benchmark starts. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** Waits for `${url}/health` to answer 200 (60 s at most); fails at once if `child` exits meanwhile. */
export async function waitForHealth(url: string, child: ChildProcess | null): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}/health did not answer within 60 s`);
}

/** CPU seconds (user + system) a child process has used so far, from /proc (Linux); null elsewhere. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface Phase {
  requestsPerSec: number;
  ok: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

/** One autocannon phase: 2xx per second, and the latency percentiles of every request. */
export function run(opts: autocannon.Options): Promise<Phase> {
  return new Promise((ok, fail) => {
    autocannon(opts, (error, result) => {
      if (error) return fail(error);
      const okCount = result['2xx'];
      ok({
        requestsPerSec: Math.round(okCount / (result.duration || 1)),
        ok: okCount,
        errors: result.non2xx + result.errors + result.timeouts,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
      });
    });
  });
}
