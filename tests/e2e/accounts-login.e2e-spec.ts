import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { AccountsService, CommandContext } from '@cbec/platform';
import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';
import { p2aSubmission } from './support/flows';

const OPERATOR = { user: 'cli', unit: 'ADMIN', role: 'admin' };
const PASSWORD = 'Lu-an-2019!';

function operatorCtx(e2e: E2eApp): CommandContext {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: null, actor: OPERATOR, now: e2e.clock.now() };
}

/** As `users add` does: the operator of the data folder creates an account. */
async function addUser(e2e: E2eApp, username: string, unit: string, role: string, uscc?: string): Promise<void> {
  await e2e.app
    .get(AccountsService)
    .create({ username, unit, role, ...(uscc ? { uscc } : {}), displayName: `${unit} ${role}`, password: PASSWORD }, operatorCtx(e2e));
}

interface Browser {
  cookie: string;
  csrf: string;
}

async function login(e2e: E2eApp, username: string, password = PASSWORD): Promise<Browser> {
  const res = await e2e.http().post('/api/v1/session').send({ username, password });
  expect(res.status).toBe(201);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  expect(setCookie[0]).toMatch(/^cbec_session=[^;]+; Max-Age=\d+; Path=\/api\/v1; HttpOnly; SameSite=Strict$/);
  return { cookie: setCookie[0].split(';')[0], csrf: res.body.csrfToken as string };
}

function as(browser: Browser, req: request.Test): request.Test {
  return req.set('Cookie', browser.cookie).set('X-CSRF-Token', browser.csrf);
}

// Every login hashes with scrypt (~0.1-0.3 s here): a whole case takes a dozen.
jest.setTimeout(60_000);

let e2e: E2eApp;
beforeEach(async () => {
  e2e = await startApp({ now: '2020-03-02T02:00:00.000Z' });
});
afterEach(async () => {
  await e2e.close();
});

describe('logging in with a password (docs/api.md, "Sessions")', () => {
  it('carries a case from submission to approval with session cookies only', async () => {
    const uscc = luanUscc(101);
    for (const [name, unit, role] of [
      ['fin-officer', 'FIN', 'officer'],
      ['fin-head', 'FIN', 'head'],
      ['com-officer', 'COM', 'officer'],
      ['cus-officer', 'CUS', 'officer'],
      ['pbc-officer', 'PBC', 'officer'],
    ]) {
      await addUser(e2e, name, unit, role);
    }
    // A COM officer opens the applicant's account over HTTP, logged in by cookie.
    const com = await login(e2e, 'com-officer');
    const created = await as(com, e2e.http().post('/api/v1/accounts')).send({
      username: 'shop-101',
      unit: 'APPLICANT',
      role: 'applicant',
      uscc,
      displayName: '六安某电商',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toMatch(/hash|salt|Lu-an/);

    const fin = await login(e2e, 'fin-head');
    expect((await as(fin, e2e.http().post('/api/v1/funds/2019/appropriations')).send({ amountCny: '10000000.00' })).status).toBe(201);
    const cus = await login(e2e, 'cus-officer');
    const imported = await as(cus, e2e.http().post('/api/v1/customs-statistics'))
      .set('Content-Type', 'text/csv')
      .send(csv(`2018,${uscc},六安某电商,0.00,0.00,0.00,1000000.00,`, `2019,${uscc},六安某电商,0.00,0.00,0.00,1100000.00,`));
    expect(imported.status).toBe(201);

    const shop = await login(e2e, 'shop-101');
    const who = await e2e.http().get('/api/v1/session').set('Cookie', shop.cookie);
    expect(who.body).toMatchObject({ user: 'shop-101', displayName: '六安某电商', unit: 'APPLICANT', role: 'applicant', uscc, authenticatedBy: 'session' });
    const submitted = await as(shop, e2e.http().post('/api/v1/applications')).send(p2aSubmission(uscc));
    expect(submitted.status).toBe(201);
    const id = submitted.body.applicationId as string;

    expect((await as(await login(e2e, 'fin-officer'), e2e.http().post(`/api/v1/applications/${id}/acceptance`))).status).toBe(201);
    const reviewers = { 'com-officer': com, 'cus-officer': cus, 'pbc-officer': await login(e2e, 'pbc-officer') };
    for (const [, browser] of Object.entries(reviewers)) {
      const res = await as(browser, e2e.http().post(`/api/v1/applications/${id}/opinions`)).send({ verdict: 'approve', comment: 'ok' });
      expect(res.status).toBe(201);
    }
    const approved = await as(fin, e2e.http().post(`/api/v1/applications/${id}/approval`)).send({});
    expect(approved.status).toBe(201);
    await e2e.caughtUp(approved.body.position as number);
    const view = await e2e.http().get(`/api/v1/applications/${id}`).set('Cookie', shop.cookie);
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('approved');
  });

  it('answers a wrong password, an unknown user, a disabled and a locked account with one identical 401', async () => {
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    await addUser(e2e, 'gone', 'FIN', 'officer');
    await addUser(e2e, 'locked', 'FIN', 'officer');
    await e2e.app.get(AccountsService).disable('gone', operatorCtx(e2e));
    for (let i = 0; i < 5; i++) await e2e.http().post('/api/v1/session').send({ username: 'locked', password: 'Wrong-pass-1' });

    const answers = [
      await e2e.http().post('/api/v1/session').send({ username: 'fin-head', password: 'Wrong-pass-1' }),
      await e2e.http().post('/api/v1/session').send({ username: 'nobody', password: PASSWORD }),
      await e2e.http().post('/api/v1/session').send({ username: 'gone', password: PASSWORD }),
      await e2e.http().post('/api/v1/session').send({ username: 'locked', password: PASSWORD }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.body).toEqual(answers[0].body);
    }
    expect(answers[0].body.detail).toBe('wrong username or password, or this account may not log in now');
  });

  it('locks an account after 5 failures in 15 minutes, records it, and lets it in again once the 15 minutes are over', async () => {
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    for (let i = 0; i < 5; i++) {
      e2e.clock.set(new Date(Date.parse('2020-03-02T02:00:00.000Z') + i * 60_000).toISOString());
      expect((await e2e.http().post('/api/v1/session').send({ username: 'fin-head', password: 'Wrong-pass-1' })).status).toBe(401);
    }
    // Locked: even the right password is refused, and nothing more is recorded.
    expect((await e2e.http().post('/api/v1/session').send({ username: 'fin-head', password: PASSWORD })).status).toBe(401);
    const types = (await e2e.events('account-fin-head')).map((e) => e.type);
    expect(types).toEqual(['AccountCreated', 'AccountPasswordSet', ...Array(5).fill('AccountLoginFailed'), 'AccountLockedOut']);
    const lock = (await e2e.events('account-fin-head')).at(-1)!;
    expect(lock.data).toEqual({ at: '2020-03-02T02:04:00.000Z', until: '2020-03-02T02:19:00.000Z', failures: 5 });

    e2e.clock.set('2020-03-02T02:18:59.000Z');
    expect((await e2e.http().post('/api/v1/session').send({ username: 'fin-head', password: PASSWORD })).status).toBe(401);
    e2e.clock.set('2020-03-02T02:19:00.000Z');
    expect((await e2e.http().post('/api/v1/session').send({ username: 'fin-head', password: PASSWORD })).status).toBe(201);
  });

  it('ends a session after 30 idle minutes, and keeps a used one alive', async () => {
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    const fin = await login(e2e, 'fin-head');
    e2e.clock.set('2020-03-02T02:29:00.000Z');
    expect((await e2e.http().get('/api/v1/session').set('Cookie', fin.cookie)).status).toBe(200);
    e2e.clock.set('2020-03-02T02:58:59.000Z');
    expect((await e2e.http().get('/api/v1/session').set('Cookie', fin.cookie)).status).toBe(200);
    e2e.clock.set('2020-03-02T03:28:59.000Z');
    const ended = await e2e.http().get('/api/v1/session').set('Cookie', fin.cookie);
    expect(ended.status).toBe(401);
    expect(ended.body.detail).toMatch(/session has ended/);
  });

  it('refuses a change by cookie without the X-CSRF-Token of the session, and takes it with one', async () => {
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    const fin = await login(e2e, 'fin-head');
    const bare = await e2e.http().post('/api/v1/funds/2019/appropriations').set('Cookie', fin.cookie).send({ amountCny: '100.00' });
    expect(bare.status).toBe(403);
    expect(bare.body.detail).toMatch(/X-CSRF-Token/);
    const wrong = await e2e
      .http()
      .post('/api/v1/funds/2019/appropriations')
      .set('Cookie', fin.cookie)
      .set('X-CSRF-Token', 'guess')
      .send({ amountCny: '100.00' });
    expect(wrong.status).toBe(403);
    expect((await as(fin, e2e.http().post('/api/v1/funds/2019/appropriations')).send({ amountCny: '100.00' })).status).toBe(201);
    // Reading needs no CSRF header; a Bearer token never does.
    expect((await e2e.http().get('/api/v1/funds/2019').set('Cookie', fin.cookie)).status).toBe(200);
    expect((await e2e.http().post('/api/v1/funds/2019/appropriations').set(e2e.auth('FIN', 'head')).send({ amountCny: '100.00' })).status).toBe(201);
  });

  it('logs out: the cookie stops working and is cleared', async () => {
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    const fin = await login(e2e, 'fin-head');
    expect((await e2e.http().delete('/api/v1/session').set('Cookie', fin.cookie)).status).toBe(403);
    const out = await as(fin, e2e.http().delete('/api/v1/session'));
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^cbec_session=; Max-Age=0/);
    expect((await e2e.http().get('/api/v1/session').set('Cookie', fin.cookie)).status).toBe(401);
  });

  it('marks the cookie Secure behind a proxy that says https, only when told to trust it', async () => {
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    const res = await e2e.http().post('/api/v1/session').set('X-Forwarded-Proto', 'https').send({ username: 'fin-head', password: PASSWORD });
    expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
    await e2e.close();
    e2e = await startApp({ env: { CBEC_TRUST_PROXY: '1' } });
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    const proxied = await e2e.http().post('/api/v1/session').set('X-Forwarded-Proto', 'https').send({ username: 'fin-head', password: PASSWORD });
    expect(String(proxied.headers['set-cookie'])).toMatch(/; Secure/);
  });
});

describe('account administration (ADMIN) and separation of duties', () => {
  it('lets ADMIN create, change, disable, enable and reset accounts over HTTP, ending the sessions of a changed account', async () => {
    await addUser(e2e, 'root', 'ADMIN', 'admin');
    const admin = await login(e2e, 'root');
    expect(
      (await as(admin, e2e.http().post('/api/v1/accounts')).send({ username: 'fin-1', unit: 'FIN', role: 'officer', password: 'short' })).body,
    ).toMatchObject({
      status: 422,
      code: 'weak-password',
    });
    expect((await as(admin, e2e.http().post('/api/v1/accounts')).send({ username: 'fin-1', unit: 'FIN', role: 'officer', password: PASSWORD })).status).toBe(
      201,
    );
    const fin = await login(e2e, 'fin-1');
    const changed = await as(admin, e2e.http().post('/api/v1/accounts/fin-1/grant')).send({ unit: 'FIN', role: 'head' });
    expect(changed.body).toMatchObject({ username: 'fin-1', unit: 'FIN', role: 'head' });
    expect((await e2e.http().get('/api/v1/session').set('Cookie', fin.cookie)).status).toBe(401);
    expect((await as(admin, e2e.http().post('/api/v1/accounts/fin-1/disable'))).body.enabled).toBe(false);
    expect((await e2e.http().post('/api/v1/session').send({ username: 'fin-1', password: PASSWORD })).status).toBe(401);
    expect((await as(admin, e2e.http().post('/api/v1/accounts/fin-1/enable'))).body.enabled).toBe(true);
    expect((await as(admin, e2e.http().post('/api/v1/accounts/fin-1/password-reset')).send({ password: 'New-pass-2020' })).status).toBe(200);
    expect((await e2e.http().post('/api/v1/session').send({ username: 'fin-1', password: PASSWORD })).status).toBe(401);
    expect((await e2e.http().post('/api/v1/session').send({ username: 'fin-1', password: 'New-pass-2020' })).status).toBe(201);
    const list = await e2e.http().get('/api/v1/accounts').set('Cookie', admin.cookie);
    expect(list.body.accounts.map((a: { username: string }) => a.username)).toEqual(['fin-1', 'root']);
    expect(list.body.total).toBe(2);
    // Paged by username, and filtered by unit, with the total of every match.
    const page = await e2e.http().get('/api/v1/accounts?limit=1&offset=1').set('Cookie', admin.cookie);
    expect(page.body).toMatchObject({ total: 2, accounts: [{ username: 'root' }] });
    const fins = await e2e.http().get('/api/v1/accounts?unit=FIN').set('Cookie', admin.cookie);
    expect(fins.body).toMatchObject({ total: 1, accounts: [{ username: 'fin-1', unit: 'FIN' }] });
    expect((await e2e.http().get('/api/v1/accounts?limit=501').set('Cookie', admin.cookie)).status).toBe(400);
  });

  it('lets ADMIN act on no case and read none; keeps account management from everyone else', async () => {
    await addUser(e2e, 'root', 'ADMIN', 'admin');
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    const admin = await login(e2e, 'root');
    const uscc = luanUscc(102);
    const submitted = await e2e
      .http()
      .post('/api/v1/applications')
      .set(e2e.auth('APPLICANT', 'applicant', uscc))
      .send(p2aSubmission(uscc));
    const id = submitted.body.applicationId as string;
    expect((await as(admin, e2e.http().post(`/api/v1/applications/${id}/acceptance`))).status).toBe(403);
    expect((await as(admin, e2e.http().post('/api/v1/funds/2019/appropriations')).send({ amountCny: '1.00' })).status).toBe(403);
    await e2e.caughtUp(submitted.body.position as number);
    expect((await e2e.http().get(`/api/v1/applications/${id}`).set('Cookie', admin.cookie)).status).toBe(403);

    const fin = await login(e2e, 'fin-head');
    expect((await e2e.http().get('/api/v1/accounts').set('Cookie', fin.cookie)).status).toBe(403);
    expect((await as(fin, e2e.http().post('/api/v1/accounts/root/disable'))).status).toBe(403);
    expect((await as(fin, e2e.http().post('/api/v1/accounts')).send({ username: 'x1', unit: 'FIN', role: 'head', password: PASSWORD })).status).toBe(403);
  });
});

describe('the OpenAPI document', () => {
  it('documents the session and account endpoints, and the cookie beside the Bearer token', async () => {
    const doc = (await e2e.http().get('/api/docs/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/session']).sort()).toEqual(['delete', 'get', 'post']);
    expect(doc.paths['/api/v1/session'].post.security).toEqual([]);
    expect(doc.paths['/api/v1/session'].post.responses['401']).toBeDefined();
    for (const path of [
      '/api/v1/accounts',
      '/api/v1/accounts/{username}/grant',
      '/api/v1/accounts/{username}/disable',
      '/api/v1/accounts/{username}/enable',
      '/api/v1/accounts/{username}/password-reset',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'cbec_session' });
  });
});

describe('account events in the audit, and no reader shows a password hash', () => {
  it('verifies the chain over account streams, shows AUDIT their history, and never a hash or salt anywhere in the log', async () => {
    await addUser(e2e, 'root', 'ADMIN', 'admin');
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    await e2e.http().post('/api/v1/session').send({ username: 'fin-head', password: 'Wrong-pass-1' });
    const auditor = e2e.auth('AUDIT', 'auditor');
    const verify = await e2e.http().get('/api/v1/audit/verify').set(auditor);
    expect(verify.status).toBe(200);
    // Two accounts (created + password set each) and one failed login: five events, two streams.
    expect(verify.body).toMatchObject({ ok: true, breaks: [], eventsChecked: 5, streamsChecked: 2 });
    const history = await e2e.http().get('/api/v1/audit/streams/account-fin-head/history').set(auditor);
    expect(history.status).toBe(200);
    const historyText = JSON.stringify(history.body);
    expect(historyText).toMatch(/AccountCreated/);
    expect(historyText).toMatch(/AccountLoginFailed/);

    // The hash and salt exist only in auth.db; no event, history, list or feed holds either.
    const { credentials } = readCredentials(e2e.dataDir);
    expect(credentials.length).toBe(2);
    const all: string[] = [];
    for await (const event of e2e.store.readAll()) all.push(JSON.stringify(event));
    const readers = [
      all.join('\n'),
      historyText,
      JSON.stringify((await e2e.http().get('/api/v1/accounts').set(auditor)).body),
      JSON.stringify((await e2e.http().get('/api/v1/audit/streams/account-root/history').set(auditor)).body),
    ];
    for (const text of readers) {
      for (const c of credentials) {
        expect(text).not.toContain(c.hash);
        expect(text).not.toContain(c.salt);
      }
      expect(text).not.toContain(PASSWORD);
    }
    expect(readdirSync(e2e.dataDir)).toContain('auth.db');
  });

  it('shows AUDIT an account as it stood at a moment: who held which grant before an administrator changed it', async () => {
    await addUser(e2e, 'fin-1', 'FIN', 'officer');
    const [, passwordSet] = await e2e.events('account-fin-1');
    await e2e.app.get(AccountsService).changeGrant('fin-1', { unit: 'FIN', role: 'head' }, operatorCtx(e2e));
    const auditor = e2e.auth('AUDIT', 'auditor');
    const before = await e2e.http().get(`/api/v1/audit/streams/account-fin-1/as-of?at=${passwordSet.globalPosition}`).set(auditor);
    expect(before.body).toMatchObject({ kind: 'account', version: 1, state: { username: 'fin-1', unit: 'FIN', role: 'officer', enabled: true } });
    const now = await e2e.http().get('/api/v1/audit/streams/account-fin-1/as-of?at=100').set(auditor);
    expect(now.body).toMatchObject({ kind: 'account', version: 2, state: { role: 'head' } });
  });

  it("finds an account event changed behind the log's back, as it finds any other", async () => {
    await addUser(e2e, 'fin-head', 'FIN', 'head');
    const db = new Database(join(e2e.dataDir, 'events.db'));
    try {
      // Someone with the file, who drops the append-only triggers as an insider would, promotes the account
      // to COM without an event saying who did.
      for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'`).all() as Array<{ name: string }>) {
        db.exec(`DROP TRIGGER "${name}"`);
      }
      db.prepare(`UPDATE events SET data = replace(data, '"unit":"FIN"', '"unit":"COM"') WHERE type = 'AccountCreated'`).run();
    } finally {
      db.close();
    }
    const verify = await e2e.http().get('/api/v1/audit/verify').set(e2e.auth('AUDIT', 'auditor'));
    expect(verify.body.ok).toBe(false);
    expect(Object.keys(verify.body.firstBreakByStream)).toEqual(['account-fin-head']);
  });
});

function readCredentials(dataDir: string): { credentials: Array<{ hash: string; salt: string }> } {
  const db = new Database(join(dataDir, 'auth.db'), { readonly: true });
  try {
    return { credentials: db.prepare('SELECT hash, salt FROM credentials').all() as Array<{ hash: string; salt: string }> };
  } finally {
    db.close();
  }
}
