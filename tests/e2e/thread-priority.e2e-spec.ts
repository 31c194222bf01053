import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKGROUND_NICE } from '@cbec/event-store';
import { ServerProcess, startServer } from './support/process-child-server';

/** The nice value of each thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat), by thread id. */
function niceByThread(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

const ownNice = (): number => niceByThread(process.pid).get(process.pid) ?? 0;
const reason =
  process.platform !== 'linux' || !existsSync('/proc/self/task')
    ? 'threads are put in the background on Linux only (this is not Linux or has no /proc)'
    : ownNice() >= BACKGROUND_NICE
      ? `the tests already run at nice ${ownNice()}, at or below the background threads' ${BACKGROUND_NICE}`
      : null;
if (reason) console.log(`SKIPPED: thread priorities: ${reason}`);
// The built server starts in seconds on a busy machine: beyond Jest's 5 s default, a timed-out beforeAll would
// leave it running and Jest waiting for it.
jest.setTimeout(60_000);
const describeOnLinux = reason ? describe.skip : describe;

describeOnLinux('the threads of the built server on Linux', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cbec-nice-'));
    server = await startServer(dataDir);
  });

  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the projector, the approval tracker and the digest writer behind the requests, and nothing else', async () => {
    const pid = server.child.pid!;
    const base = ownNice();
    const inBackground = (): number[] => [...niceByThread(pid)].filter(([, n]) => n === BACKGROUND_NICE).map(([tid]) => tid);
    // The threads start while the server already answers /health.
    const deadline = Date.now() + 4_000;
    while (inBackground().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const background = inBackground();
    const nice = niceByThread(pid);
    // Three threads in the background; the event loop (tid = pid), the SQLite writer thread and Node's
    // own threads keep the process's priority.
    expect(background).toHaveLength(3);
    expect(nice.get(pid)).toBe(base);
    expect([...nice.values()].filter((n) => n !== base && n !== BACKGROUND_NICE)).toEqual([]);
    expect(await (await fetch(server.url('/health'))).json()).toMatchObject({ status: 'ok' });
  });
});
