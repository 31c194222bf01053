import { budgetKeyOf, rateLimitsFromEnv, RateLimitSettingError } from './rate-limits';

const jwt = (claims: object): string => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

describe('rate-limit budgets', () => {
  it("counts a user's commands by the token's sub, whichever of its tokens it sends", () => {
    const a = budgetKeyOf({ ip: '10.0.0.1', headers: { authorization: `Bearer ${jwt({ sub: 'zhou', iat: 1 })}` } });
    const b = budgetKeyOf({ ip: '10.0.0.2', headers: { authorization: `Bearer ${jwt({ sub: 'zhou', iat: 2 })}` } });
    expect(a).toBe('sub:zhou');
    expect(b).toBe(a);
  });

  it('counts a session by its cookie, a token that is no JWT by its hash, and nothing at all by the address', () => {
    expect(budgetKeyOf({ ip: '10.0.0.1', headers: { cookie: 'cbec_session=abc' } })).toMatch(/^credential:/);
    expect(budgetKeyOf({ ip: '10.0.0.1', headers: { authorization: 'Bearer garbage' } })).toMatch(/^credential:/);
    expect(budgetKeyOf({ ip: '10.0.0.1', headers: {} })).toBe('ip:10.0.0.1');
  });

  it('reads the limits from the environment and refuses a limit that is not a whole number', () => {
    expect(rateLimitsFromEnv({})).toEqual({ authFailuresPerIp: 20, commandsPerUser: 600, commandsPerIp: 3000 });
    expect(rateLimitsFromEnv({ CBEC_RATE_COMMANDS_PER_USER: '0' }).commandsPerUser).toBe(0);
    expect(() => rateLimitsFromEnv({ CBEC_RATE_COMMANDS_PER_IP: 'lots' })).toThrow(RateLimitSettingError);
  });
});
