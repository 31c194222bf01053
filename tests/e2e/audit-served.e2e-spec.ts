import JSZip from 'jszip';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { verifyBundle } from '@cbec/audit';
import { E2eApp, startApp } from './support/e2e-app';
import { p2aSubmission, submit } from './support/flows';
import { luanUscc } from './support/e2e-app';
import { eventually } from './support/process-child-server';

/**
 * Issue 6: the auditors' HTTP API lives under /api/v1/audit of the served app (AppModule, as `npm start`
 * runs it), and who read which case is recorded — not only in a test module that adds AuditModule.
 */
describe('the served app answers auditors and records reads', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
  });
  afterAll(() => e2e.close());

  it('serves /api/v1/audit to AUDIT and refuses other units with 403', async () => {
    const verify = await e2e.http().get('/api/v1/audit/verify').set(e2e.auth('AUDIT', 'auditor'));
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, breaks: [] });
    const byHead = await e2e.http().get('/api/v1/audit/verify').set(e2e.auth('FIN', 'head'));
    expect(byHead.status).toBe(403);
    expect(byHead.body.code).toBe('forbidden');
  });

  it('records who read a case, a refused read included', async () => {
    const uscc = luanUscc(8801);
    const id = await submit(e2e, p2aSubmission(uscc));
    await e2e.caughtUp(await e2e.store.headPosition());
    expect(
      (
        await e2e
          .http()
          .get(`/api/v1/applications/${id}`)
          .set(e2e.auth('FIN', 'officer', undefined, 'fin-li'))
      ).status,
    ).toBe(200);
    expect(
      (
        await e2e
          .http()
          .get(`/api/v1/applications/${id}`)
          .set(e2e.auth('APPLICANT', 'applicant', luanUscc(8802), 'nosy'))
      ).status,
      // Another enterprise's case does not exist for an applicant (docs/api.md "Uniform answers").
    ).toBe(404);
    // A read is recorded as its answer goes out; on PostgreSQL the record commits a moment later (its INSERT is on its
    // way when the answer is sent), so the auditor's query may need a second look.
    const reads = await eventually(
      'both reads in the read log',
      async () => e2e.http().get(`/api/v1/audit/reads?applicationId=${id}`).set(e2e.auth('AUDIT', 'auditor')),
      (answer) => answer.status !== 200 || (answer.body as { reads: unknown[] }).reads.length >= 2,
      5_000,
    );
    expect(reads.status).toBe(200);
    expect(reads.body.reads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: 'fin-li', unit: 'FIN', applicationId: id, status: 200 }),
        expect.objectContaining({ user: 'nosy', unit: 'APPLICANT', applicationId: id, status: 404 }),
      ]),
    );
  });

  it('answers a case audit bundle as a zip that verify-bundle accepts, to AUDIT alone', async () => {
    const id = await submit(e2e, p2aSubmission(luanUscc(8803)));
    const zipOf = (res: { on: (event: string, listener: (chunk?: Buffer) => void) => void }, done: (err: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk) => chunks.push(chunk!));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    };
    const bundle = await e2e.http().get(`/api/v1/audit/applications/${id}/bundle`).set(e2e.auth('AUDIT', 'auditor')).buffer(true).parse(zipOf);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('application/zip');
    expect(bundle.headers['content-disposition']).toBe(`attachment; filename="audit-${id}.zip"`);
    const zip = await JSZip.loadAsync(bundle.body as Buffer);
    const folder = mkdtempSync(join(tmpdir(), 'cbec-bundle-e2e-'));
    try {
      for (const [name, entry] of Object.entries(zip.files)) {
        if (entry.dir) continue;
        const target = join(folder, name);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, await entry.async('nodebuffer'));
      }
      expect(verifyBundle(join(folder, `audit-${id}`))).toMatchObject({ ok: true, problems: [] });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    const byFin = await e2e.http().get(`/api/v1/audit/applications/${id}/bundle`).set(e2e.auth('FIN', 'head'));
    expect(byFin.status).toBe(403);
    const unknown = await e2e.http().get('/api/v1/audit/applications/no-such-case/bundle').set(e2e.auth('AUDIT', 'auditor'));
    expect(unknown.status).toBe(404);
  });
});
