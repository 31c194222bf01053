import type { Clock } from '@cbec/platform';

/** A clock override asked for outside a test run: the service refuses to start rather than keep a false time. */
export class ClockOverrideRefused extends Error {
  constructor(variables: string[]) {
    super(
      `${variables.join(' and ')} move the service's clock and are for tests only: refusing to start. ` +
        'Unset them, or run with NODE_ENV=test (or CBEC_ALLOW_CLOCK_OVERRIDE=1 for a drill on throw-away data).',
    );
    this.name = 'ClockOverrideRefused';
  }
}

/**
 * The app's `'CLOCK'`: `base`, pinned by `CBEC_FIXED_NOW` (an ISO instant) or shifted by
 * `CBEC_CLOCK_OFFSET_MS`, so a test can restart a server "ten working days later". Every part of the
 * app (commands, the approval process, deadlines) reads this one clock. Honoured only with
 * `NODE_ENV=test` or `CBEC_ALLOW_CLOCK_OVERRIDE=1`: decisions and deadlines stamped with a moved clock
 * must never reach real data by a stray variable.
 */
export function clockFromEnv(base: Clock, env: NodeJS.ProcessEnv): Clock {
  const asked = (['CBEC_FIXED_NOW', 'CBEC_CLOCK_OFFSET_MS'] as const).filter((name) => env[name] !== undefined && env[name] !== '');
  if (asked.length === 0) return base;
  if (env.NODE_ENV !== 'test' && env.CBEC_ALLOW_CLOCK_OVERRIDE !== '1') throw new ClockOverrideRefused(asked);
  if (env.CBEC_FIXED_NOW) {
    const fixed = Date.parse(env.CBEC_FIXED_NOW);
    if (Number.isNaN(fixed)) throw new Error(`CBEC_FIXED_NOW must be an ISO instant, got ${JSON.stringify(env.CBEC_FIXED_NOW)}`);
    return { now: () => new Date(fixed) };
  }
  const offset = Number(env.CBEC_CLOCK_OFFSET_MS);
  if (!Number.isSafeInteger(offset)) throw new Error(`CBEC_CLOCK_OFFSET_MS must be an integer (ms), got ${JSON.stringify(env.CBEC_CLOCK_OFFSET_MS)}`);
  return { now: () => new Date(base.now().getTime() + offset) };
}
