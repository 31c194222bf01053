import { Worker } from 'node:worker_threads';
import { workerScript } from './worker-script';

export interface SupervisedThreadOptions<Out> {
  /** The caller's `__filename` and `__dirname`, and the worker entry's name next to it (see workerScript). */
  callerFilename: string;
  callerDirname: string;
  entry: string;
  workerData: unknown;
  /** Names the thread in log lines. */
  label: string;
  onMessage(message: Out): void;
  /** After a restarted thread is up (e.g. to repeat requests the dead one never answered). */
  onRestart?(): void;
  logger: { error(message: string): void };
}

/**
 * A worker thread that follows the log for the app (the projector, the approval process's tracker): started
 * with the app, restarted when it dies (after 100 ms, doubling up to 5 s; what it does is checkpointed, so a
 * new thread resumes where the committed state says), stopped with a message it answers by finishing its
 * work and closing its connections.
 */
export class SupervisedThread<In, Out> {
  private worker: Worker | null = null;
  private running = false;
  private restartDelay = 100;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SupervisedThreadOptions<Out>) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.spawn();
  }

  send(message: In): void {
    this.worker?.postMessage(message);
  }

  /** A message from the thread shows it works: the next restart waits the shortest delay again. */
  healthy(): void {
    this.restartDelay = 100;
  }

  /** Sends `stopMessage` and resolves once the thread has exited. */
  async stop(stopMessage: In): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage(stopMessage);
    await exited;
  }

  private spawn(): void {
    const { callerFilename, callerDirname, entry, workerData, label, logger } = this.options;
    const { filename, execArgv } = workerScript(callerFilename, callerDirname, entry);
    const worker = new Worker(filename, { workerData, execArgv });
    this.worker = worker;
    worker.on('message', (message: Out) => this.options.onMessage(message));
    worker.on('error', (error) => logger.error(`${label}: the thread failed: ${error.stack ?? String(error)}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (!this.running) return;
      const delay = this.restartDelay;
      this.restartDelay = Math.min(delay * 2, 5000);
      logger.error(`${label}: the thread exited (code ${code}); restarting it in ${delay} ms`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.running) return;
        this.spawn();
        this.options.onRestart?.();
      }, delay);
    });
  }
}
