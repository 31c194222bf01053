import { setPriority } from 'node:os';

/** The nice value the background threads take (0 normal, 19 lowest): they still get ~10% against one busy thread. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the scheduling priority of the calling thread, on Linux, where `setpriority` on thread 0 applies
 * to the calling thread alone: for the threads that follow the log behind the requests (the projector,
 * the approval process's tracker, the digest writer). When they and the threads that answer requests (the
 * event loop, the writer thread) want the same cores, the requests go first and the read side catches up
 * in the gaps. Each of these threads reports its progress by checkpoints, which a reader that names a
 * position waits for: under load such a read waits a little longer, and nothing is lost or reordered.
 * Measured with `bench:api` (2 cores, alternating runs): submissions/s +4-6%, the read side caught up
 * with the load within the same ~0.1 s after it. Elsewhere (macOS would lower the whole process) and
 * where the call is refused it does nothing: the thread runs at the process's priority.
 */
export function runInBackground(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(BACKGROUND_NICE);
  } catch {
    // not allowed here: the thread keeps the process's priority
  }
}
