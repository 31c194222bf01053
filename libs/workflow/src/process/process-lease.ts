import { PostgresLease, type StoreLogger } from '@cbec/event-store';
import type { ProcessManager } from './process-manager';

/** The lease's name: one approval process per database. */
export const PROCESS_LEASE = 'approval-process';

/**
 * Servers sharing one database run the approval process (its tracker folding the log, its timer deciding,
 * its outbox dispatching) in one server at a time: the holder of the `approval-process` lease. When the
 * holder dies its lease connection closes, PostgreSQL releases the lock, and another server's next try
 * (every `intervalMs`) starts the manager there, from the checkpoint in the database. Started, not yet held.
 */
export function leaseProcess(
  manager: ProcessManager,
  connectionString: string,
  logger?: StoreLogger & { log?(message: string): void },
  intervalMs?: number,
): PostgresLease {
  const lease = new PostgresLease({
    connectionString,
    name: PROCESS_LEASE,
    intervalMs,
    logger,
    onAcquired: () => manager.start(),
    onReleased: () => manager.stop(),
  });
  lease.start();
  return lease;
}
