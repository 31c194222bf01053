import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unauthorized } from '../http/errors';
import { JwtAuthGuard } from './jwt-auth.guard';
import { loadOrCreateJwtSecret } from './jwt-secret';
import { mintToken } from './token';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-guard-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function httpContext(request: { headers: Record<string, string>; actor?: unknown }): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => () => undefined,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

async function authenticate(guard: JwtAuthGuard, token: string): Promise<unknown> {
  const request: { headers: Record<string, string>; actor?: unknown } = { headers: { authorization: `Bearer ${token}` } };
  await guard.canActivate(httpContext(request));
  return request.actor;
}

describe('JwtAuthGuard (verified tokens remembered)', () => {
  it('refuses a token that was accepted before, once it has expired', async () => {
    // given a guard that has already accepted a token valid for 60 s
    const guard = new JwtAuthGuard(new Reflector(), dir);
    const token = mintToken(loadOrCreateJwtSecret(dir), { sub: 'fin-1', unit: 'FIN', role: 'officer' }, 60);
    expect(await authenticate(guard, token)).toEqual({ user: 'fin-1', unit: 'FIN', role: 'officer' });
    expect(await authenticate(guard, token)).toEqual({ user: 'fin-1', unit: 'FIN', role: 'officer' });
    // when the same token comes back after its expiry
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    // then it is a 401 saying it expired, exactly as for a token never seen before
    await expect(authenticate(guard, token)).rejects.toThrow(Unauthorized);
    await expect(authenticate(guard, token)).rejects.toThrow(/token expired at/);
  });

  it('gives every request its own actor object', async () => {
    const guard = new JwtAuthGuard(new Reflector(), dir);
    const token = mintToken(loadOrCreateJwtSecret(dir), { sub: 'a-1', unit: 'APPLICANT', role: 'applicant', uscc: '91341502MA2DEM001K' });
    const first = (await authenticate(guard, token)) as Record<string, unknown>;
    first.unit = 'FIN';
    expect(await authenticate(guard, token)).toEqual({ user: 'a-1', unit: 'APPLICANT', role: 'applicant', uscc: '91341502MA2DEM001K' });
  });

  it('still refuses a token signed with another secret after a good one was accepted', async () => {
    const guard = new JwtAuthGuard(new Reflector(), dir);
    await authenticate(guard, mintToken(loadOrCreateJwtSecret(dir), { sub: 'fin-1', unit: 'FIN', role: 'head' }));
    const foreign = mintToken('another-secret-of-at-least-thirty-two-characters', { sub: 'fin-1', unit: 'FIN', role: 'head' });
    await expect(authenticate(guard, foreign)).rejects.toThrow(/signature is invalid/);
  });
});
