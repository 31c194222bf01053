import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDigestLog, auditFiles } from '@cbec/audit';
import { E2eApp, luanUscc as uscc, startApp } from './support/e2e-app';
import { p2aSubmission } from './support/flows';

/**
 * One follower of the log per data folder (CBEC_WORKERS): the first worker projects the read models,
 * folds the approval process's state and signs the audit digests for every worker; another worker
 * (`CBEC_WORKER_SLOT` > 1) does none of it and serves its reads, `?minPosition=` included, from what the
 * first one commits in the shared files. Two apps in this process on one folder stand for two workers.
 */
jest.setTimeout(60_000);

/** An applicant's P2a submission on `app`: its answer (id, version, position). */
async function submitOn(app: E2eApp, n: number): Promise<{ body: { applicationId: string; position: number } }> {
  const submitted = await app
    .http()
    .post('/api/v1/applications')
    .set(app.auth('APPLICANT', 'applicant', uscc(n)))
    .send(p2aSubmission(uscc(n)));
  expect(submitted.status).toBe(201);
  return submitted;
}

describe('a worker that does not follow the log', () => {
  let dataDir: string;
  let first: E2eApp | null;
  let second: E2eApp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cbec-follower-'));
    first = await startApp({ dataDir, now: '2020-03-02T02:00:00.000Z' });
    second = await startApp({ dataDir, now: '2020-03-02T02:00:00.000Z', env: { CBEC_WORKER_SLOT: '2' } });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("reads its own writes from the first worker's read models and approval process state", async () => {
    const submitted = await submitOn(second, 7);
    const id = submitted.body.applicationId as string;
    const read = await second.http().get(`/api/v1/applications/${id}?minPosition=${submitted.body.position}`).set(second.auth('FIN', 'officer'));
    expect([read.status, read.body.status]).toEqual([200, 'submitted']);

    const accepted = await second.http().post(`/api/v1/applications/${id}/acceptance`).set(second.auth('FIN', 'officer'));
    expect(accepted.status).toBe(201);
    const deadlines = await second.http().get(`/api/v1/applications/${id}/deadlines?minPosition=${accepted.body.position}`).set(second.auth('FIN', 'officer'));
    expect(deadlines.status).toBe(200);
    expect(deadlines.body).toMatchObject({ status: 'under-review', processedUpTo: expect.any(Number) });
    expect(deadlines.body.processedUpTo).toBeGreaterThanOrEqual(accepted.body.position);
  });

  it('projects and signs nothing itself: alone, its reads of new writes lag, and no digest covers them', async () => {
    await first!.close();
    first = null;
    const digestsBefore = new SqliteDigestLog(auditFiles(dataDir).digestsDb);
    const covered = (await digestsBefore.all()).at(-1)?.body.globalPosition ?? 0;
    await digestsBefore.close();

    const submitted = await submitOn(second, 8);
    const read = await second
      .http()
      .get(`/api/v1/applications/${submitted.body.applicationId}?minPosition=${submitted.body.position}`)
      .set(second.auth('FIN', 'officer'));
    expect([read.status, read.body.code]).toEqual([503, 'projections-lagging']);

    await second.close();
    const digests = new SqliteDigestLog(auditFiles(dataDir).digestsDb);
    // The first worker's shutdown digest is the last: the second signed nothing at its shutdown.
    expect((await digests.all()).at(-1)?.body).toMatchObject({ reason: 'shutdown', globalPosition: covered });
    expect(covered).toBeLessThan(submitted.body.position);
    await digests.close();
  });
});
