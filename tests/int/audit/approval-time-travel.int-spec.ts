import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../../../apps/workflow-api/src/app.module';
import { configureApp, createHttpAdapter, initApp, NEST_APP_OPTIONS } from '../../../apps/workflow-api/src/configure-app';
import { tempDataDir } from '../../../libs/audit/src/testing/audit-fixture';
import { AuditModule } from '../../../libs/audit/src/http/audit.module';

const USCC = '91341502MA2DEM001K';
const DEMO_CSV = readFileSync(join(__dirname, '../../../infra/data/demo/customs-demo.csv'), 'utf8');

/**
 * Issue 6, "Done when": a case approved through the workflow, then revised customs figures imported;
 * the time-travel view of the approval still shows the figures the head saw, the current view the revision.
 */
describe('what the approving head saw survives a later customs revision', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let token: (sub: string, unit: string, role: string, uscc?: string) => string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ dataDir, env: {} }), AuditModule] }).compile();
    app = await initApp(
      configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { ...NEST_APP_OPTIONS, logger: false }), { docs: false }),
    );
    const secret = loadOrCreateJwtSecret(dataDir);
    token = (sub, unit, role, uscc) => mintToken(secret, uscc ? { sub, unit, role, uscc } : { sub, unit, role });
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (path: string, who: string, body?: unknown, type = 'application/json') => {
    const r = request(app.getHttpServer()).post(`/api/v1${path}`).set('Authorization', `Bearer ${who}`).set('Content-Type', type);
    return body === undefined ? r : r.send(typeof body === 'string' ? body : JSON.stringify(body));
  };

  it('shows the approval-time figures as-approved and the revision as current', async () => {
    const cus = token('cus-wang', 'CUS', 'officer');
    const finHead = token('fin-zhao', 'FIN', 'head');
    const fin = token('fin-chen', 'FIN', 'officer');
    const auditor = token('auditor-1', 'AUDIT', 'auditor');
    // Given the P2a case of the README, carried through the workflow to approval,
    await post('/customs-statistics', cus, DEMO_CSV, 'text/csv').expect(201);
    await post('/funds/2019/appropriations', finHead, { amountCny: '5000000.00' }).expect(201);
    const submitted = await post('/applications', token('applicant-zhou', 'APPLICANT', 'applicant', USCC), {
      program: 'P2a',
      year: 2019,
      beneficiary: { uscc: USCC, kind: 'enterprise', manufacturing: false },
      claims: {
        promotesOnThirdPartyPlatform: true,
        platformFeesCny: [
          { amountCny: '120000.00', invoiceRef: 'INV-2019-0731' },
          { amountCny: '30000.00', invoiceRef: 'INV-2019-1120' },
        ],
      },
    }).expect(201);
    const id = submitted.body.applicationId as string;
    await post(`/applications/${id}/acceptance`, fin).expect(201);
    for (const unit of ['COM', 'CUS', 'PBC']) {
      await post(`/applications/${id}/opinions`, token(`${unit.toLowerCase()}-1`, unit, 'officer'), { verdict: 'approve', comment: 'checked' }).expect(201);
    }
    const approved = await post(`/applications/${id}/approval`, finHead, {}).expect(201);
    // when Customs later imports revised 2019 figures for the same enterprise,
    const revisedCsv = DEMO_CSV.replace(
      `2019,${USCC},六安市金安区示例跨境电商有限公司,30000.00,25000.00,260000.00,1100000.00,`,
      `2019,${USCC},六安市金安区示例跨境电商有限公司,30000.00,25000.00,260000.00,1050000.00,`,
    );
    expect(revisedCsv).not.toEqual(DEMO_CSV);
    const revision = await post('/customs-statistics', cus, revisedCsv, 'text/csv').expect(201);
    expect(revision.body.revised).toBe(1);

    // then the approval as the head saw it keeps the 2019 total exports in force then,
    const seen = await request(app.getHttpServer()).get(`/api/v1/audit/applications/${id}/as-approved`).set('Authorization', `Bearer ${auditor}`).expect(200);
    const [view] = seen.body;
    expect(view.decision.amountCny).toBe(approved.body.amountCny);
    const then2019 = view.asSeen.customs.find((r: { figures: { year: number } }) => r.figures.year === 2019);
    expect(then2019.figures.totalExportUsd).toBe('1100000.00');
    expect(view.customsUsed.map((r: { eventId: string }) => r.eventId)).toContain(then2019.eventId);
    expect(view.asSeen.case.status).toBe('ready-for-decision');
    // while the current view shows the revision.
    const now2019 = view.customsNow.find((r: { figures: { year: number } }) => r.figures.year === 2019);
    expect(now2019).toMatchObject({ type: 'CustomsStatisticsRevised', figures: { totalExportUsd: '1050000.00' } });
    expect(view.revisedSinceApproval).toBe(true);
    // The explanation still names the records the decision used.
    const explained = await request(app.getHttpServer())
      .get(`/api/v1/audit/applications/${id}/explanation`)
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    expect(explained.body.awards[0].customsUsed.map((r: { eventId: string }) => r.eventId)).toEqual(
      view.customsUsed.map((r: { eventId: string }) => r.eventId),
    );
    expect(explained.body.awards[0].rendered.join('\n')).toContain('出口额 US$1,100,000.00');
    // And the causal chain of the case spans the streams the approval touched.
    const chain = await request(app.getHttpServer()).get(`/api/v1/audit/applications/${id}/causal-chain`).set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(Object.keys(chain.body.streams)).toEqual(expect.arrayContaining([`application-${id}`, `beneficiary-${USCC}`, 'fund-2019', 'customs-2019']));
    expect(chain.body.approvals[0].events.map((e: { streamId: string }) => e.streamId)).toEqual(
      expect.arrayContaining([`beneficiary-${USCC}`, 'fund-2019', `application-${id}`]),
    );
    expect(chain.body.approvals[0].causationPosition).toBe(view.asSeen.globalPosition);
  });
});
