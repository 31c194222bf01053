import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadOrCreateJwtSecret, mintToken } from '@cbec/workflow';
import { rmSync } from 'node:fs';
import request from 'supertest';
import { AppModule } from '../../../apps/workflow-api/src/app.module';
import { configureApp, createHttpAdapter, initApp, NEST_APP_OPTIONS } from '../../../apps/workflow-api/src/configure-app';
import { auditFiles } from '../../../libs/audit/src/shared/audit-files';
import { DigestLog } from '../../../libs/audit/src/integrity/digest-log';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir } from '../../../libs/audit/src/testing/audit-fixture';
import { AuditModule } from '../../../libs/audit/src/http/audit.module';

describe('the audit HTTP API under /api/v1/audit', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let auditor: string;
  let head: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    const store = openTempStore(dataDir);
    await seedApprovedCase(new CaseDriver(store), 'a-0001');
    await store.close();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ dataDir, env: {} }), AuditModule] }).compile();
    app = await initApp(
      configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { ...NEST_APP_OPTIONS, logger: false }), { docs: false }),
    );
    const secret = loadOrCreateJwtSecret(dataDir);
    auditor = mintToken(secret, { sub: 'auditor-1', unit: 'AUDIT', role: 'auditor' });
    head = mintToken(secret, { sub: 'fin-head', unit: 'FIN', role: 'head' });
  });

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (path: string, token: string) => request(app.getHttpServer()).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);

  it('answers an auditor and refuses any other unit with 403', async () => {
    const ok = await get('/audit/verify', auditor).expect(200);
    expect(ok.body).toMatchObject({ ok: true, breaks: [] });
    const refused = await get('/audit/verify', head).expect(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('serves history, time travel, causal chain and the explanation', async () => {
    const history = await get('/audit/streams/application-a-0001/history', auditor).expect(200);
    expect(history.body.events).toHaveLength(7);
    const asOf = await get('/audit/streams/application-a-0001/as-of?at=3', auditor).expect(200);
    expect(asOf.body).toMatchObject({ at: { globalPosition: 3 } });
    await get('/audit/streams/application-a-0001/as-of?at=tomorrow', auditor).expect(400);
    await get('/audit/streams/application-zzz/history', auditor).expect(404);
    const chain = await get('/audit/applications/a-0001/causal-chain', auditor).expect(200);
    expect(chain.body.approvals).toHaveLength(1);
    const explanation = await get('/audit/applications/a-0001/explanation', auditor).expect(200);
    expect(explanation.body.awards[0].rendered).toContain('奖励金额: ¥8,000.00');
    const seen = await get('/audit/applications/a-0001/as-approved', auditor).expect(200);
    expect(seen.body[0].asSeen.case.status).toBe('ready-for-decision');
  });

  it('records who read which case, refused attempts included', async () => {
    await get('/applications/a-0001', auditor);
    await get('/audit/applications/a-0001/explanation', head).expect(403);
    const reads = await get('/audit/reads?applicationId=a-0001', auditor).expect(200);
    expect(reads.body.reads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: 'auditor-1', unit: 'AUDIT', path: '/api/v1/applications/a-0001', applicationId: 'a-0001' }),
        expect.objectContaining({ user: 'auditor-1', path: '/api/v1/audit/applications/a-0001/explanation', status: 200 }),
        expect.objectContaining({ user: 'fin-head', unit: 'FIN', path: '/api/v1/audit/applications/a-0001/explanation', status: 403 }),
      ]),
    );
  });

  it('writes a signed digest at shutdown', async () => {
    await app.close();
    const log = new DigestLog(auditFiles(dataDir).digestsDb);
    const last = log.last();
    log.close();
    expect(last?.body).toMatchObject({ reason: 'shutdown', seq: 1 });
    expect(last!.body.globalPosition).toBeGreaterThan(10);
  });
});
