import { Logger } from '@nestjs/common';
import cluster, { Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { RELAY_WORKER_ENV } from '@cbec/messaging';

/**
 * `CBEC_WORKERS=N` (or `auto`): N HTTP server processes (node's cluster module) sharing the port and the
 * data dir. Safe because every shared duty is decided in SQLite, not in memory: the store's unique key
 * inside BEGIN IMMEDIATE, the read-model checkpoints re-read in each batch's transaction, the process
 * manager's checkpoint and outbox leases in process.db, the digest chain, the idempotency answers.
 * Worker 1 alone follows the log for all (AppModule's `followsLog`): it projects the read models, folds the
 * approval process's state, signs the audit digests and runs the Kafka relay (two relays would publish
 * every event twice). The other workers serve HTTP, append, and read what worker 1 commits in the shared
 * files: a read's `minPosition` waits on the read models' committed checkpoints. Every worker runs the
 * approval process's timer (the outbox leases keep each command to one).
 */

/** Env name of the worker's slot (1..N); a restarted worker keeps its slot, so worker 1 keeps the relay. */
export const WORKER_SLOT_ENV = 'CBEC_WORKER_SLOT';
/** Crashes tolerated within RESTART_WINDOW_MS before the primary gives up and stops. */
export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 500;
/** A worker still running this long after the shutdown signal is killed. */
const SHUTDOWN_GRACE_MS = 30_000;

export class WorkersSettingError extends Error {}

/** CBEC_WORKERS: unset or empty = 1; an integer >= 1; `auto` = the number of CPUs. */
export function workerCountFromEnv(env: NodeJS.ProcessEnv = process.env, cpus: number = availableParallelism()): number {
  const raw = env.CBEC_WORKERS?.trim();
  if (raw === undefined || raw === '') return 1;
  if (raw.toLowerCase() === 'auto') return Math.max(1, cpus);
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new WorkersSettingError(`CBEC_WORKERS must be an integer >= 1 or "auto", got ${JSON.stringify(env.CBEC_WORKERS)}`);
  }
  return Number(raw);
}

/**
 * In a worker, before the app is built: the Kafka relay runs in slot 1 only, so the others do not see
 * KAFKA_BROKERS (it is read by nothing else in the server).
 */
export function prepareWorkerEnv(env: NodeJS.ProcessEnv = process.env): { slot: number; relay: boolean } {
  const slot = Number(env[WORKER_SLOT_ENV] ?? '1');
  const relay = slot === 1;
  if (!relay && env.KAFKA_BROKERS) {
    delete env.KAFKA_BROKERS;
    // So this worker's log says where the relay is, not that Kafka is off.
    env[RELAY_WORKER_ENV] = '1';
  }
  return { slot, relay };
}

interface Slot {
  index: number;
  worker: Worker | null;
  listening: boolean;
}

/**
 * The primary: starts the workers one after another (each once the previous listens, so a fresh data dir
 * is initialised by one process at a time), restarts a crashed one in its slot (at most MAX_RESTARTS per
 * RESTART_WINDOW_MS, then stops everything and exits 1), forwards SIGTERM/SIGINT and exits once every
 * worker has shut down. A worker exits by itself when the primary dies (node closes its IPC channel).
 */
export function runPrimary(count: number, env: NodeJS.ProcessEnv = process.env): void {
  const logger = new Logger('Cluster');
  const slots: Slot[] = Array.from({ length: count }, (_, i) => ({ index: i + 1, worker: null, listening: false }));
  const crashes: number[] = [];
  let stopping = false;
  let exitCode = 0;
  let started = false;
  const firstNote = ` (follows the log for every worker: read models, approval process, audit digests${env.KAFKA_BROKERS ? ', Kafka relay' : ''})`;

  const live = (): Slot[] => slots.filter((s) => s.worker !== null);

  const finishIfDone = (): void => {
    if (stopping && live().length === 0) {
      logger.log(`all workers stopped; exiting with ${exitCode}`);
      process.exit(exitCode);
    }
  };

  const stopAll = (signal: NodeJS.Signals, code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const s of live()) s.worker!.process.kill(signal);
    setTimeout(() => {
      for (const s of live()) {
        logger.error(`worker ${s.index} (pid ${s.worker!.process.pid}) still running ${SHUTDOWN_GRACE_MS} ms after ${signal}: killing it`);
        s.worker!.process.kill('SIGKILL');
      }
    }, SHUTDOWN_GRACE_MS).unref();
    finishIfDone();
  };

  const fork = (slot: Slot): void => {
    const worker = cluster.fork({ [WORKER_SLOT_ENV]: String(slot.index) });
    slot.worker = worker;
    slot.listening = false;
    worker.on('listening', (address) => {
      slot.listening = true;
      logger.log(`worker ${slot.index} (pid ${worker.process.pid}) listening on port ${address.port}${slot.index === 1 ? firstNote : ''}`);
      if (!started) {
        const next = slots.find((s) => s.worker === null);
        if (next) fork(next);
        else {
          started = true;
          logger.log(`${count} workers serve port ${address.port}`);
        }
      }
    });
    worker.on('exit', (code, signal) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (stopping) {
        if (!signal && code !== 0) exitCode = 1;
        logger.log(`worker ${slot.index} (pid ${worker.process.pid}) stopped (${how})`);
        finishIfDone();
        return;
      }
      if (!started) {
        // A worker that cannot start (port in use, bad setting) will not start on a retry either.
        logger.error(`worker ${slot.index} exited with ${how} before listening; stopping`);
        stopAll('SIGTERM', 1);
        return;
      }
      const now = Date.now();
      while (crashes.length && crashes[0] <= now - RESTART_WINDOW_MS) crashes.shift();
      if (crashes.length >= MAX_RESTARTS) {
        logger.error(`worker ${slot.index} exited with ${how}: ${crashes.length} restarts within ${RESTART_WINDOW_MS / 1000} s already; stopping`);
        stopAll('SIGTERM', 1);
        return;
      }
      crashes.push(now);
      logger.error(
        `worker ${slot.index} (pid ${worker.process.pid}) exited with ${how}; restarting it (restart ${crashes.length} of at most ${MAX_RESTARTS} within ${RESTART_WINDOW_MS / 1000} s)`,
      );
      setTimeout(() => {
        if (!stopping) fork(slot);
      }, RESTART_DELAY_MS);
    });
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      logger.log(`${signal}: stopping ${live().length} workers`);
      stopAll(signal, 0);
    });
  }
  logger.log(`primary (pid ${process.pid}) starting ${count} workers`);
  fork(slots[0]);
}
