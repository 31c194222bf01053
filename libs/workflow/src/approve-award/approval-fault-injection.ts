/**
 * Test-only fault injection for the crash tests of a real server: with `CBEC_FAULT_KILL_AFTER_RESERVATION=1`
 * the process SIGKILLs itself right after an approval's reservation is stored, before the fund
 * commitment, so a test proves the repair after a real process death at exactly that point (never by
 * racing a kill against the timing of the steps). Honoured only with `NODE_ENV=test`; otherwise the
 * server refuses to start.
 */
export function killAfterReservationFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CBEC_FAULT_KILL_AFTER_RESERVATION;
  if (value === undefined || value === '' || value === '0') return false;
  if (value !== '1') throw new Error(`CBEC_FAULT_KILL_AFTER_RESERVATION must be 1 or 0, got ${JSON.stringify(value)}`);
  if (env.NODE_ENV !== 'test') {
    throw new Error('CBEC_FAULT_KILL_AFTER_RESERVATION kills the server on purpose and is for tests only: refusing to start (NODE_ENV is not test)');
  }
  return true;
}
