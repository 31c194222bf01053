import type { AuthStore, Session } from './auth-store';
import type { Credential } from './password-hasher';
import type { TokenRevocations } from './token-revocations';

/**
 * What every AuthStore adapter does; each adapter's spec calls this with a way to open one (two opened in
 * one test share the same store, as two servers on one database do).
 */
export function authStoreContract(name: string, open: () => Promise<AuthStore> | AuthStore): void {
  describe(`AuthStore contract: ${name}`, () => {
    let stores: AuthStore[] = [];
    const opened = async (): Promise<AuthStore> => {
      const store = await open();
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(stores.map((store) => store.close()));
      stores = [];
    });
    const unique = (label: string): string => `${label}-${Math.random().toString(36).slice(2, 10)}`;

    it('keeps a credential by its id, and says that one exists', async () => {
      const store = await opened();
      const credential: Credential = { credentialId: unique('cred'), scheme: 'scrypt', params: { N: 16384, r: 8, p: 1, keyLength: 64 }, salt: 's', hash: 'h' };
      expect(await store.findCredential(credential.credentialId)).toBeUndefined();
      await store.saveCredential(credential, 'fin-head', new Date());
      expect(await store.findCredential(credential.credentialId)).toEqual(credential);
      expect(await store.hasCredentials()).toBe(true);
    });

    it("finds, renews and ends a session opened through another instance, and ends all of a user's at once", async () => {
      const [a, b] = [await opened(), await opened()];
      const user = unique('user');
      const session: Session = {
        username: user,
        displayName: 'Li',
        unit: 'FIN',
        role: 'head',
        uscc: null,
        csrfToken: 'csrf',
        createdAt: '2026-12-07T00:00:00.000Z',
        lastSeenAt: '2026-12-07T00:00:00.000Z',
      };
      const [one, two, other] = [unique('h'), unique('h'), unique('h')];
      await a.createSession(one, session);
      await a.createSession(two, { ...session, uscc: '91341500MA2010017C' });
      await a.createSession(other, { ...session, username: unique('other') });
      expect(await b.findSession(one)).toEqual(session);
      await b.touchSession(one, '2026-12-07T01:00:00.000Z');
      expect(await a.findSession(one)).toEqual({ ...session, lastSeenAt: '2026-12-07T01:00:00.000Z' });
      await b.deleteSession(one);
      expect(await a.findSession(one)).toBeUndefined();
      expect(await b.deleteSessionsOf(user)).toBe(1);
      expect(await a.findSession(two)).toBeUndefined();
      expect(await a.findSession(other)).toMatchObject({ csrfToken: 'csrf' });
    });
  });
}

/** What every TokenRevocations adapter does, a revocation written by one instance (the CLI) read by another (a server). */
export function tokenRevocationsContract(
  name: string,
  open: () => Promise<TokenRevocations> | TokenRevocations,
  settle: () => Promise<void> = async () => undefined,
): void {
  describe(`TokenRevocations contract: ${name}`, () => {
    let lists: TokenRevocations[] = [];
    const opened = async (): Promise<TokenRevocations> => {
      const list = await open();
      lists.push(list);
      return list;
    };
    afterEach(async () => {
      await Promise.all(lists.map((list) => list.close()));
      lists = [];
    });

    it('refuses a revoked jti and the tokens of a revoked subject issued up to the moment, not those minted after', async () => {
      const [server, cli] = [await opened(), await opened()];
      const sub = `u-${Math.random().toString(36).slice(2, 8)}`;
      const jti = `j-${Math.random().toString(36).slice(2, 8)}`;
      expect(await server.revoked({ jti, sub, iat: 1 })).toBeNull();
      await cli.revokeToken(jti, new Date());
      await cli.revokeToken(jti, new Date()); // twice is once
      await cli.revokeSubject(sub, new Date(2_000_000));
      await cli.revokeSubject(sub, new Date(1_000_000)); // an earlier moment never shrinks what is revoked
      await settle();
      expect(await server.revoked({ jti, sub: 'someone-else', iat: 1 })).toMatch(/is revoked/);
      expect(await server.revoked({ sub, iat: 2000 })).toMatch(/every token of/);
      expect(await server.revoked({ sub, iat: 1500 })).toMatch(/every token of/);
      expect(await server.revoked({ sub })).toMatch(/every token of/);
      expect(await server.revoked({ sub, iat: 2001 })).toBeNull();
    });
  });
}
