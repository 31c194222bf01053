import { changesSomething, clearedSessionCookie, overHttps, sessionCookie, sessionIdFrom } from './session-cookie';

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, limited to the API, and Secure only when asked', () => {
    expect(sessionCookie('abc', { secure: false, maxAgeSeconds: 60 })).toBe('cbec_session=abc; Max-Age=60; Path=/api/v1; HttpOnly; SameSite=Strict');
    expect(sessionCookie('abc', { secure: true, maxAgeSeconds: 60 })).toMatch(/; Secure/);
    expect(clearedSessionCookie(false)).toMatch(/^cbec_session=; Max-Age=0;/);
  });

  it('is read from the Cookie header among others, and absent when empty', () => {
    expect(sessionIdFrom({ cookie: 'theme=dark; cbec_session=xyz; lang=zh' })).toBe('xyz');
    expect(sessionIdFrom({ cookie: 'cbec_session=' })).toBeUndefined();
    expect(sessionIdFrom({})).toBeUndefined();
  });

  it('is Secure over TLS, or behind a proxy saying https only when the proxy is trusted', () => {
    expect(overHttps({ protocol: 'https', headers: {} }, false)).toBe(true);
    expect(overHttps({ protocol: 'http', headers: { 'x-forwarded-proto': 'https' } }, false)).toBe(false);
    expect(overHttps({ protocol: 'http', headers: { 'x-forwarded-proto': 'https, http' } }, true)).toBe(true);
    expect(overHttps({ protocol: 'http', headers: { 'x-forwarded-proto': 'http' } }, true)).toBe(false);
  });

  it('asks the CSRF header of every method but GET, HEAD and OPTIONS', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].map(changesSomething)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(changesSomething)).toEqual([true, true, true, true]);
  });
});
