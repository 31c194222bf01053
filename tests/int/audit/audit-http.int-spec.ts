import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../../../apps/workflow-api/src/app.module';
import { configureApp, createHttpAdapter, initApp, NEST_APP_OPTIONS } from '../../../apps/workflow-api/src/configure-app';
import { auditFiles } from '../../../libs/audit/src/shared/audit-files';
import { SqliteDigestLog } from '../../../libs/audit/src/integrity/digest-log';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir } from '../../../libs/audit/src/testing/audit-fixture';
import { AuditModule } from '../../../libs/audit/src/http/audit.module';

describe('the audit HTTP API under /api/v1/audit', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let auditor: string;
  let head: string;

  let witnessDir: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    witnessDir = tempDataDir('cbec-witness-');
    process.env.CBEC_AUDIT_WITNESS_DIR = witnessDir;
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
    delete process.env.CBEC_AUDIT_WITNESS_DIR;
    rmSync(witnessDir, { recursive: true, force: true });
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

  it('serves the latest signed tree head, which the witness file holds too, and inclusion proofs against it', async () => {
    let answer = await get('/audit/tree-head', auditor);
    // The audit thread signs its first head once it has read the log: wait for it (no time is asserted).
    for (let i = 0; i < 200 && answer.status === 404; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await get('/audit/tree-head', auditor);
    }
    expect(answer.status).toBe(200);
    const treeHead = answer.body;
    expect(treeHead).toMatchObject({ log: 'cbec-audit-log/v1', rootHash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.any(String) });
    expect(treeHead.treeSize).toBeGreaterThan(10);
    const witnessed = readFileSync(join(witnessDir, 'tree-heads.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(witnessed).toContainEqual(treeHead);
    await get('/audit/tree-head', head).expect(403);

    const proof = await get(`/audit/events/3/inclusion?treeSize=${treeHead.treeSize}`, auditor).expect(200);
    expect(proof.body).toMatchObject({ globalPosition: 3, leafIndex: 2, treeSize: treeHead.treeSize, rootHash: treeHead.rootHash, verified: true });
    expect(proof.body.proof.length).toBeGreaterThan(0);
    await get('/audit/events/0/inclusion', auditor).expect(400);
    await get('/audit/events/3/inclusion?treeSize=many', auditor).expect(400);
    await get(`/audit/events/3/inclusion?treeSize=${treeHead.treeSize + 1000}`, auditor).expect(400);
    await get('/audit/events/99999/inclusion', auditor).expect(404);
  });

  it('writes a signed digest at shutdown', async () => {
    await app.close();
    const log = new SqliteDigestLog(auditFiles(dataDir).digestsDb);
    const last = await log.last();
    await log.close();
    expect(last?.body).toMatchObject({ reason: 'shutdown', seq: 1 });
    expect(last!.body.globalPosition).toBeGreaterThan(10);
  });
});
