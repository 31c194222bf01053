import { createHash } from 'node:crypto';
import { Client } from 'pg';
import type { StoreLogger } from '../polling-subscription';
import { postgresApplicationName } from './postgres-pool';

export interface PostgresLeaseOptions {
  connectionString: string;
  /** What the lease is for (`kafka-relay`): one holder per name and database. */
  name: string;
  /** Called once this process holds the lease: start the work. */
  onAcquired: () => Promise<void> | void;
  /** Called when the lease is lost (its connection broke) or given up (stop): stop the work. */
  onReleased: () => Promise<void> | void;
  /** How often a waiting server tries to take the lease, and a holder checks its connection (ms, default 1000). */
  intervalMs?: number;
  logger?: StoreLogger & { log?(message: string): void };
}

/**
 * Work that must run in one server at a time (the Kafka relay), among servers sharing one database: the
 * holder keeps a session-level advisory lock (`pg_try_advisory_lock`) on a connection of its own. When the
 * holder dies, even by SIGKILL, its connection closes and PostgreSQL releases the lock; another server's next
 * try (every `intervalMs`) takes it. A holder whose connection breaks stops the work at once: the lock may
 * already be someone else's. Handing over is at-least-once (the work resumes from its checkpoint).
 */
export class PostgresLease {
  private readonly key: string;
  private readonly intervalMs: number;
  private client: Client | undefined;
  private holding = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: PostgresLeaseOptions) {
    this.key = leaseKey(options.name);
    this.intervalMs = options.intervalMs ?? 1000;
  }

  get held(): boolean {
    return this.holding;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  /** Stops trying; a holder stops the work, then lets the lease go (another server takes it at its next try). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    if (this.holding) await this.release();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.client) this.client = await this.connect();
        if (!this.holding) {
          const { rows } = await this.client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1) AS taken', [this.key]);
          if (rows[0]?.taken && !this.stopped) {
            this.holding = true;
            this.options.logger?.log?.(`lease ${this.options.name}: taken; this server runs it`);
            await this.options.onAcquired();
          }
        } else {
          await this.client.query('SELECT 1');
        }
      } catch (error) {
        await this.lost(error);
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.intervalMs);
      });
    }
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.options.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      application_name: postgresApplicationName(`lease ${this.options.name}`),
    });
    // A broken connection surfaces here between queries: the lease is gone with it.
    client.on('error', (error) => void this.lost(error));
    await client.connect();
    return client;
  }

  private async lost(error: unknown): Promise<void> {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
    if (!this.holding) return;
    this.holding = false;
    this.options.logger?.error(`lease ${this.options.name}: lost (${(error as Error)?.message ?? String(error)}); stopping the work`);
    await this.options.onReleased();
  }

  private async release(): Promise<void> {
    this.holding = false;
    await this.options.onReleased();
    await this.client?.query('SELECT pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
  }
}

/** A 64-bit advisory-lock key from the lease's name (as a decimal string: a JavaScript number holds 53 bits). */
function leaseKey(name: string): string {
  return createHash('sha256').update(`cbec-lease:${name}`).digest().readBigInt64BE(0).toString();
}
