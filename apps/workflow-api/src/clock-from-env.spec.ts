import { ClockOverrideRefused, clockFromEnv } from './clock-from-env';

const base = { now: () => new Date('2019-09-27T03:00:00Z') };

describe("the app's clock from the environment", () => {
  it('is the given clock when nothing asks to move it', () => {
    expect(clockFromEnv(base, { NODE_ENV: 'production' })).toBe(base);
  });

  it('pins or shifts the clock in a test run', () => {
    expect(clockFromEnv(base, { NODE_ENV: 'test', CBEC_FIXED_NOW: '2019-10-17T00:00:00Z' }).now().toISOString()).toBe('2019-10-17T00:00:00.000Z');
    expect(
      clockFromEnv(base, { NODE_ENV: 'test', CBEC_CLOCK_OFFSET_MS: String(86_400_000) })
        .now()
        .toISOString(),
    ).toBe('2019-09-28T03:00:00.000Z');
    expect(clockFromEnv(base, { CBEC_ALLOW_CLOCK_OVERRIDE: '1', CBEC_CLOCK_OFFSET_MS: '-1000' }).now().toISOString()).toBe('2019-09-27T02:59:59.000Z');
  });

  it('refuses to start with a moved clock outside a test run, naming the variable', () => {
    expect(() => clockFromEnv(base, { CBEC_CLOCK_OFFSET_MS: '1000' })).toThrow(ClockOverrideRefused);
    expect(() => clockFromEnv(base, { NODE_ENV: 'production', CBEC_FIXED_NOW: '2019-10-17T00:00:00Z' })).toThrow(
      /CBEC_FIXED_NOW move the service's clock and are for tests only/,
    );
  });

  it('names a bad value', () => {
    expect(() => clockFromEnv(base, { NODE_ENV: 'test', CBEC_FIXED_NOW: 'tomorrow' })).toThrow(/CBEC_FIXED_NOW must be an ISO instant/);
    expect(() => clockFromEnv(base, { NODE_ENV: 'test', CBEC_CLOCK_OFFSET_MS: '1 day' })).toThrow(/CBEC_CLOCK_OFFSET_MS must be an integer/);
  });
});
