import { JwtService } from '@nestjs/jwt';
import { AuditContext, SecurityLogRecorder } from '@cbec/audit';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usccCheckCharacter } from '@cbec/domain';
import { tokenCommand } from '../../apps/cli/src/commands/token.command';
import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';
import { accept, appropriate, importCsv, p1Submission } from './support/flows';

/** The access rules of docs/api.md ("Who may do what"), each tried the way an insider would. */
describe('access rules over HTTP', () => {
  let e2e: E2eApp;
  const ENTERPRISE = luanUscc(1801);
  beforeAll(async () => {
    e2e = await startApp();
    expect((await importCsv(e2e, csv(`2019,${ENTERPRISE},企业甲,90000.00,0.00,0.00,90000.00,`))).status).toBe(201);
    await appropriate(e2e, 2019, '1000000.00');
  });
  afterAll(() => e2e.close());

  async function submitAs(auth: { Authorization: string }): Promise<string> {
    const res = await e2e.http().post('/api/v1/applications').set(auth).send(p1Submission(ENTERPRISE));
    expect({ status: res.status, body: res.status === 201 ? 'created' : res.body }).toEqual({ status: 201, body: 'created' });
    lastPosition = res.body.position as number;
    return res.body.applicationId as string;
  }
  let lastPosition = 0;

  describe('Idempotency-Key', () => {
    it("gives a repeated key's answer back to the same principal alone: the same sub in another unit or role is authorized for itself", async () => {
      const send = (auth: { Authorization: string }) =>
        e2e.http().post('/api/v1/funds/2019/appropriations').set(auth).set('Idempotency-Key', 'appr-2019-shared-sub').send({ amountCny: '10.00' });
      const first = await send(e2e.auth('FIN', 'head', undefined, 'shared-sub'));
      expect(first.status).toBe(201);
      const auditor = await send(e2e.auth('AUDIT', 'auditor', undefined, 'shared-sub'));
      expect([auditor.status, auditor.headers['idempotent-replayed']]).toEqual([403, undefined]);
      const applicant = await send(e2e.auth('APPLICANT', 'applicant', ENTERPRISE, 'shared-sub'));
      expect([applicant.status, applicant.headers['idempotent-replayed']]).toEqual([403, undefined]);
      const officer = await send(e2e.auth('FIN', 'officer', undefined, 'shared-sub'));
      expect(officer.status).toBe(403);
      const again = await send(e2e.auth('FIN', 'head', undefined, 'shared-sub'));
      expect([again.status, again.headers['idempotent-replayed'], again.body]).toEqual([201, 'true', first.body]);
    });
  });

  describe('uniform answers that leak nothing', () => {
    it.each(['', '/history', '/deadlines'])("answers another enterprise's case%s to an applicant as if it did not exist (404, not 403)", async (suffix) => {
      const id = await submitAs(e2e.auth('APPLICANT', 'applicant', ENTERPRISE));
      const stranger = e2e.auth('APPLICANT', 'applicant', luanUscc(1899));
      // Once the read side and the approval process know the case, so that a 404 is not merely "not yet".
      const party = await e2e
        .http()
        .get(`/api/v1/applications/${id}${suffix}?minPosition=${lastPosition}`)
        .set(e2e.auth('APPLICANT', 'applicant', ENTERPRISE));
      expect(party.status).toBe(200);
      const other = await e2e.http().get(`/api/v1/applications/${id}${suffix}`).set(stranger);
      const none = await e2e.http().get(`/api/v1/applications/no-such-case${suffix}`).set(stranger);
      expect([other.status, other.body.code]).toEqual([404, 'not-found']);
      expect([none.status, none.body.code]).toEqual([404, 'not-found']);
      expect(JSON.stringify(other.body)).not.toContain(ENTERPRISE);
    });
  });

  describe('four eyes: no person acts twice in one case', () => {
    it("refuses COM's countersign opinion from the COM officer who submitted on the applicant's behalf", async () => {
      const id = await submitAs(e2e.auth('COM', 'officer', undefined, 'zhang-com'));
      await accept(e2e, id);
      const twice = await e2e
        .http()
        .post(`/api/v1/applications/${id}/opinions`)
        .set(e2e.auth('COM', 'officer', undefined, 'zhang-com'))
        .send({ verdict: 'approve', comment: 'ok' });
      expect([twice.status, twice.body.code]).toEqual([403, 'four-eyes']);
      expect(twice.body.detail).toContain('zhang-com');
      const colleague = await e2e
        .http()
        .post(`/api/v1/applications/${id}/opinions`)
        .set(e2e.auth('COM', 'officer', undefined, 'li-com'))
        .send({ verdict: 'approve', comment: 'ok' });
      expect(colleague.status).toBe(201);
    });

    it('refuses the decision from a person who gave a countersign opinion on the case', async () => {
      const id = await submitAs(e2e.auth('APPLICANT', 'applicant', ENTERPRISE));
      await accept(e2e, id);
      // One person holding grants in two units (an account moved between them keeps its name).
      for (const unit of ['COM', 'CUS', 'PBC']) {
        const user = unit === 'CUS' ? 'wang' : `${unit.toLowerCase()}-reviewer`;
        const res = await e2e
          .http()
          .post(`/api/v1/applications/${id}/opinions`)
          .set(e2e.auth(unit, 'officer', undefined, user))
          .send({ verdict: 'approve', comment: 'ok' });
        expect(res.status).toBe(201);
      }
      const decision = await e2e
        .http()
        .post(`/api/v1/applications/${id}/approval`)
        .set(e2e.auth('FIN', 'head', undefined, 'wang'))
        .send({});
      expect([decision.status, decision.body.code]).toEqual([403, 'four-eyes']);
      const other = await e2e
        .http()
        .post(`/api/v1/applications/${id}/approval`)
        .set(e2e.auth('FIN', 'head', undefined, 'zhao'))
        .send({});
      expect(other.status).toBe(201);
    });
  });
});

describe('county units', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
  });
  afterAll(() => e2e.close());

  it("shows a county unit its own county's cases and totals and nothing else: not another county's, not the city's fund", async () => {
    const huoqiu = ((first17: string) => first17 + usccCheckCharacter(first17))('91341522MA2000001');
    const jinan = luanUscc(1803);
    const submit = async (uscc: string): Promise<{ id: string; position: number }> => {
      const res = await e2e
        .http()
        .post('/api/v1/applications')
        .set(e2e.auth('APPLICANT', 'applicant', uscc))
        .send(p1Submission(uscc));
      expect(res.status).toBe(201);
      return { id: res.body.applicationId as string, position: res.body.position as number };
    };
    const own = await submit(jinan);
    const other = await submit(huoqiu);
    await e2e.caughtUp(other.position);
    const county = e2e.auth('CTY-341502', 'officer', undefined, 'jinan-officer');
    expect((await e2e.http().get(`/api/v1/applications/${own.id}`).set(county)).status).toBe(200);
    expect((await e2e.http().get(`/api/v1/applications/${other.id}`).set(county)).status).toBe(403);
    const list = await e2e.http().get('/api/v1/applications').set(county);
    expect(list.status).toBe(200);
    const listed = (list.body.items ?? list.body.cases ?? list.body) as Array<{ applicationId: string }>;
    expect(listed.map((c) => c.applicationId)).toEqual([own.id]);
    expect((await e2e.http().get(`/api/v1/beneficiaries/${jinan}/totals?year=2019`).set(county)).status).toBe(200);
    expect((await e2e.http().get(`/api/v1/beneficiaries/${huoqiu}/totals?year=2019`).set(county)).status).toBe(403);
    expect((await e2e.http().get('/api/v1/funds/2019').set(county)).status).toBe(403);
  });

  it("refuses a county unit whose code is not one of Lu'an's districts and counties", async () => {
    const secret = readFileSync(join(e2e.dataDir, 'jwt-secret'), 'utf8').trim();
    const as = (unit: string): string => `Bearer ${new JwtService({ secret }).sign({ unit, role: 'officer' }, { subject: 'county-officer', expiresIn: '1h' })}`;
    const real = await e2e.http().get('/api/v1/inbox').set('Authorization', as('CTY-341522'));
    expect(real.status).toBe(200);
    for (const unit of ['CTY-999999', 'CTY-341500', 'CTY-ANY']) {
      const res = await e2e.http().get('/api/v1/inbox').set('Authorization', as(unit));
      expect([unit, res.status, res.body.code]).toEqual([unit, 401, 'unauthorized']);
    }
  });
});

describe('the security log', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
  });
  afterAll(() => e2e.close());

  it('keeps every 401, 403 and refused command with who, what, when and from where, for AUDIT alone', async () => {
    expect((await e2e.http().get('/api/v1/funds/2019').set('Authorization', 'Bearer not-a-token')).status).toBe(401);
    expect(
      (
        await e2e
          .http()
          .post('/api/v1/funds/2019/appropriations')
          .set(e2e.auth('FIN', 'officer', undefined, 'sun'))
          .send({ amountCny: '1.00' })
      ).status,
    ).toBe(403);
    expect(
      (
        await e2e
          .http()
          .post('/api/v1/funds/2019/appropriations')
          .set(e2e.auth('FIN', 'head', undefined, 'qian'))
          .send({ amountCny: 'lots' })
      ).status,
    ).toBe(400);

    expect((await e2e.http().get('/api/v1/audit/security-log').set(e2e.auth('FIN', 'head'))).status).toBe(403);
    const res = await e2e.http().get('/api/v1/audit/security-log').set(e2e.auth('AUDIT', 'auditor'));
    expect(res.status).toBe(200);
    const rows = (res.body.refusals as Array<Record<string, unknown>>).map(({ at, ip, detail, ...rest }) => {
      expect(Number.isNaN(Date.parse(at as string))).toBe(false);
      expect(typeof ip).toBe('string');
      expect((ip as string).length).toBeGreaterThan(0);
      expect(typeof detail).toBe('string');
      return rest;
    });
    expect(rows).toEqual([
      { status: 401, code: 'unauthorized', method: 'GET', path: '/api/v1/funds/2019', user: null, unit: null, role: null },
      { status: 403, code: 'forbidden', method: 'POST', path: '/api/v1/funds/2019/appropriations', user: 'sun', unit: 'FIN', role: 'officer' },
      { status: 400, code: expect.any(String), method: 'POST', path: '/api/v1/funds/2019/appropriations', user: 'qian', unit: 'FIN', role: 'head' },
      { status: 403, code: 'forbidden', method: 'GET', path: '/api/v1/audit/security-log', user: 'fin-head', unit: 'FIN', role: 'head' },
    ]);
    const bySun = await e2e.http().get('/api/v1/audit/security-log?user=sun').set(e2e.auth('AUDIT', 'auditor'));
    expect(bySun.body.refusals.map((r: { user: string }) => r.user)).toEqual(['sun']);
  });
});

describe('rate limits', () => {
  let e2e: E2eApp;
  beforeEach(async () => {
    e2e = await startApp({ env: { CBEC_RATE_AUTH_FAILURES_PER_IP: '3', CBEC_RATE_COMMANDS_PER_USER: '4', CBEC_RATE_COMMANDS_PER_IP: '6' } });
  });
  afterEach(() => e2e.close());

  const appropriate1 = (user: string) =>
    e2e
      .http()
      .post('/api/v1/funds/2019/appropriations')
      .set(e2e.auth('FIN', 'head', undefined, user))
      .send({ amountCny: '1.00' });

  it('stops an address after its failed authentications (refused logins and 401s), valid tokens included, and logs the 429', async () => {
    expect((await e2e.http().post('/api/v1/session').send({ username: 'nobody', password: 'guess-1' })).status).toBe(401);
    expect((await e2e.http().post('/api/v1/session').send({ username: 'nobody', password: 'guess-2' })).status).toBe(401);
    expect((await e2e.http().get('/api/v1/inbox').set(e2e.auth('FIN', 'officer'))).status).toBe(200);
    expect((await e2e.http().get('/api/v1/inbox').set('Authorization', 'Bearer forged')).status).toBe(401);
    const stopped = await e2e.http().get('/api/v1/inbox').set(e2e.auth('FIN', 'officer'));
    expect([stopped.status, stopped.body.code, stopped.body.limitName]).toEqual([429, 'rate-limited', 'auth-failures-per-ip']);
    expect(stopped.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(0);
    // The auditor at the same address is stopped too: read the log beside the app.
    await e2e.app.get(SecurityLogRecorder).flush();
    const logged = await e2e.app.get(AuditContext).security().refusals({ status: 429 });
    expect(logged.map((r) => [r.path, r.code, r.ip.length > 0])).toEqual([['/api/v1/inbox', 'rate-limited', true]]);
  });

  it('limits commands per user and per address', async () => {
    for (let i = 0; i < 4; i++) expect((await appropriate1('zhou')).status).toBe(201);
    const fifth = await appropriate1('zhou');
    expect([fifth.status, fifth.body.code, fifth.body.limitName]).toEqual([429, 'rate-limited', 'commands-per-user']);
    // Another user from the same address has a budget of its own, up to the address's.
    expect((await appropriate1('wu')).status).toBe(201);
    expect((await appropriate1('wu')).status).toBe(201);
    const seventh = await appropriate1('zheng');
    expect([seventh.status, seventh.body.limitName]).toEqual([429, 'commands-per-ip']);
    // Reads are not commands.
    expect(
      (
        await e2e
          .http()
          .get('/api/v1/funds/2019')
          .set(e2e.auth('FIN', 'head', undefined, 'zheng'))
      ).status,
    ).toBe(200);
    const log = await e2e.http().get('/api/v1/audit/security-log?status=429').set(e2e.auth('AUDIT', 'auditor'));
    expect(log.body.refusals.map((r: { path: string; code: string }) => [r.path, r.code])).toEqual([
      ['/api/v1/funds/2019/appropriations', 'rate-limited'],
      ['/api/v1/funds/2019/appropriations', 'rate-limited'],
    ]);
  });
});

describe('the data folder', () => {
  it('is created 0700 with every file in it 0600 (the SQLite files with -wal/-shm, secrets and keys), even under umask 022', async () => {
    const before = process.umask(0o022);
    const parent = mkdtempSync(join(tmpdir(), 'cbec-perm-'));
    const dataDir = join(parent, 'data');
    let e2e: E2eApp | undefined;
    try {
      e2e = await startApp({ dataDir });
      const res = await importCsv(e2e, csv(`2019,${luanUscc(1802)},企业乙,90000.00,0.00,0.00,90000.00,`));
      expect(res.status).toBe(201);
      await e2e.caughtUp(res.body.position as number);
      const modes: Record<string, string> = {};
      const walk = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          modes[path.slice(dataDir.length + 1) + (entry.isDirectory() ? '/' : '')] = (statSync(path).mode & 0o777).toString(8);
        }
      };
      walk(dataDir);
      expect(Object.keys(modes)).toEqual(expect.arrayContaining(['events.db', 'events.db-wal']));
      const loose = Object.entries(modes).filter(([name, mode]) => mode !== (name.endsWith('/') ? '700' : '600'));
      expect(loose).toEqual([]);
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
    } finally {
      await e2e?.close();
      process.umask(before);
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('security headers', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
  });
  afterAll(() => e2e.close());

  it.each([
    ['an answer', (): Promise<{ status: number; headers: Record<string, string> }> => e2e.http().get('/api/v1/funds/2019').set(e2e.auth('FIN', 'head'))],
    ['a 401', (): Promise<{ status: number; headers: Record<string, string> }> => e2e.http().get('/api/v1/funds/2019')],
    ['a 404', (): Promise<{ status: number; headers: Record<string, string> }> => e2e.http().get('/api/v1/no-such-route').set(e2e.auth('FIN', 'head'))],
    ['/health', (): Promise<{ status: number; headers: Record<string, string> }> => e2e.http().get('/health')],
  ])('%s of the API is not sniffed, framed or stored, and may load nothing', async (_what, call) => {
    const res = await call();
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    });
  });

  it('the OpenAPI UI is not framed or sniffed and keeps its scripts', async () => {
    const page = await e2e.http().get('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" });
  });
});

describe('/audit/verify over HTTP', () => {
  it('names no folder of the server', async () => {
    const e2e = await startApp();
    try {
      const res = await e2e.http().get('/api/v1/audit/verify').set(e2e.auth('AUDIT', 'auditor'));
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(true);
      expect(JSON.stringify(res.body)).not.toContain(e2e.dataDir);
      expect(JSON.stringify(res.body)).not.toMatch(/"\/[^"]*\/[^"]*"/);
    } finally {
      await e2e.close();
    }
  });
});

describe('token lifetimes', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
  });
  afterAll(() => e2e.close());

  const signed = (claims: object, expiresIn?: string): string => {
    const secret = readFileSync(join(e2e.dataDir, 'jwt-secret'), 'utf8').trim();
    return new JwtService({ secret }).sign(claims, { subject: 'long-lived', ...(expiresIn ? { expiresIn: expiresIn as never } : {}) });
  };
  const inbox = (token: string) => e2e.http().get('/api/v1/inbox').set('Authorization', `Bearer ${token}`);

  it("refuses a person's token that lasts more than a working day (12 h), or never ends", async () => {
    expect((await inbox(signed({ unit: 'FIN', role: 'officer' }, '12h'))).status).toBe(200);
    const week = await inbox(signed({ unit: 'FIN', role: 'officer' }, '7d'));
    expect([week.status, week.body.code]).toEqual([401, 'unauthorized']);
    expect(week.body.detail).toMatch(/at most 12 h/);
    expect((await inbox(signed({ unit: 'FIN', role: 'officer' }))).status).toBe(401);
  });

  it("lets a machine's token last up to 30 days, not longer", async () => {
    expect((await inbox(signed({ unit: 'FIN', role: 'officer', machine: true }, '30d'))).status).toBe(200);
    expect((await inbox(signed({ unit: 'FIN', role: 'officer', machine: true }, '31d'))).status).toBe(401);
  });
});

describe('token revocation', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
  });
  afterAll(() => e2e.close());

  const cli = async (...args: string[]): Promise<{ code: number; out: unknown[] }> => {
    const out: unknown[] = [];
    const code = await tokenCommand.run(args, {
      out: (v: unknown) => out.push(v),
      err: (v: unknown) => out.push(v),
      env: { CBEC_DATA_DIR: e2e.dataDir },
      cwd: e2e.dataDir,
    } as never);
    return { code, out };
  };
  const inbox = (auth: { Authorization: string }) => e2e.http().get('/api/v1/inbox').set(auth);
  const jtiOf = (auth: { Authorization: string }): string => JSON.parse(Buffer.from(auth.Authorization.split('.')[1], 'base64url').toString()).jti as string;

  it('refuses a token revoked by its jti from the next request on, and every earlier token of a user revoked by sub', async () => {
    const one = e2e.auth('FIN', 'officer', undefined, 'feng');
    const other = e2e.auth('FIN', 'officer', undefined, 'feng');
    expect((await inbox(one)).status).toBe(200);
    expect((await cli('revoke', jtiOf(one))).code).toBe(0);
    const refused = await inbox(one);
    expect([refused.status, refused.body.code]).toEqual([401, 'unauthorized']);
    expect(refused.body.detail).toMatch(/revoked/);
    expect((await inbox(other)).status).toBe(200);

    expect((await cli('revoke', '--sub', 'feng')).code).toBe(0);
    expect((await inbox(other)).status).toBe(401);
    expect((await inbox(e2e.auth('FIN', 'officer', undefined, 'chen'))).status).toBe(200);
  });

  it('names what is missing', async () => {
    expect((await cli('revoke').catch((e: Error) => ({ code: 2, out: [e.message] }))).out.join()).toMatch(/jti|--sub/);
  });
});
