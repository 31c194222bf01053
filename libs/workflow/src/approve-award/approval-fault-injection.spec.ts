import { killAfterReservationFromEnv } from './approval-fault-injection';

describe('the test-only kill after a reservation', () => {
  it('is off unless asked for', () => {
    expect(killAfterReservationFromEnv({})).toBe(false);
    expect(killAfterReservationFromEnv({ CBEC_FAULT_KILL_AFTER_RESERVATION: '0', NODE_ENV: 'production' })).toBe(false);
  });

  it('is on in a test run when asked for', () => {
    expect(killAfterReservationFromEnv({ CBEC_FAULT_KILL_AFTER_RESERVATION: '1', NODE_ENV: 'test' })).toBe(true);
  });

  it('refuses to start outside a test run, and names a bad value', () => {
    expect(() => killAfterReservationFromEnv({ CBEC_FAULT_KILL_AFTER_RESERVATION: '1', NODE_ENV: 'production' })).toThrow(/for tests only: refusing to start/);
    expect(() => killAfterReservationFromEnv({ CBEC_FAULT_KILL_AFTER_RESERVATION: 'yes', NODE_ENV: 'test' })).toThrow(/must be 1 or 0/);
  });
});
