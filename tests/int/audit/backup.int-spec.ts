import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { dropAppendOnlyGuards } from '@cbec/event-store';
import { loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import Database from 'better-sqlite3';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { runCli, type CliIo } from '../../../apps/cli/src/cli';
import { auditCommand } from '../../../apps/cli/src/commands/audit.command';
import { backupCommand, restoreCommand } from '../../../apps/cli/src/commands/backup.command';
import { AppModule } from '../../../apps/workflow-api/src/app.module';
import { configureApp, createHttpAdapter, initApp, NEST_APP_OPTIONS } from '../../../apps/workflow-api/src/configure-app';
import { APPLICANT_USCC, SUBMISSION_BODY } from '../../../apps/workflow-api/bench/submission';
import { tempDataDir } from '../../../libs/audit/src/testing/audit-fixture';

async function cli(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; out: any; err: any[] }> {
  const out: unknown[] = [];
  const err: unknown[] = [];
  const io: CliIo = { out: (v) => out.push(JSON.parse(JSON.stringify(v))), err: (v) => err.push(v), env, cwd };
  const code = await runCli([auditCommand, backupCommand, restoreCommand], args, io);
  return { code, out: out[0], err };
}

/**
 * Issue 18, "Backups that prove themselves": a backup taken while the server takes submissions restores
 * into a fresh folder with every command acknowledged before it began, and the restored log extends the
 * head an auditor fetched before the backup.
 */
describe('backup and restore of a live data folder', () => {
  let dataDir: string;
  let work: string;
  let app: NestFastifyApplication;
  let applicant: string;
  let auditor: string;
  let backupDir: string;
  let trusted: string;
  const ackedBeforeBackup: string[] = [];
  const ackedDuring: string[] = [];

  beforeAll(async () => {
    dataDir = tempDataDir();
    work = tempDataDir('cbec-backup-work-');
    backupDir = join(work, 'backup');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ dataDir, env: {} })] }).compile();
    app = await initApp(
      configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { ...NEST_APP_OPTIONS, logger: false }), { docs: false }),
    );
    const secret = loadOrCreateJwtSecret(dataDir);
    applicant = mintToken(secret, { sub: 'applicant-1', unit: 'APPLICANT', role: 'applicant', uscc: APPLICANT_USCC });
    auditor = mintToken(secret, { sub: 'auditor-1', unit: 'AUDIT', role: 'auditor' });
  });

  afterAll(async () => {
    await app?.close();
    for (const d of [dataDir, work]) rmSync(d, { recursive: true, force: true });
  });

  const submit = async (): Promise<string | null> => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/applications')
      .set('Authorization', `Bearer ${applicant}`)
      .set('Content-Type', 'application/json')
      .send(SUBMISSION_BODY);
    return res.status === 201 ? (res.body.applicationId as string) : null;
  };

  it('backs up under load with the online backup, a signed manifest and the tree head it reached', async () => {
    for (let i = 0; i < 30; i++) {
      const id = await submit();
      if (id) ackedBeforeBackup.push(id);
    }
    expect(ackedBeforeBackup).toHaveLength(30);
    let head = await request(app.getHttpServer()).get('/api/v1/audit/tree-head').set('Authorization', `Bearer ${auditor}`);
    for (let i = 0; i < 200 && (head.status !== 200 || head.body.treeSize < 30); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      head = await request(app.getHttpServer()).get('/api/v1/audit/tree-head').set('Authorization', `Bearer ${auditor}`);
    }
    expect(head.status).toBe(200);
    trusted = join(work, 'trusted-head.json');
    writeFileSync(trusted, JSON.stringify(head.body));

    // Submissions keep arriving, four at a time, while the backup runs.
    let loading = true;
    const load = (async () => {
      while (loading) {
        const ids = await Promise.all([submit(), submit(), submit(), submit()]);
        for (const id of ids) if (id) ackedDuring.push(id);
      }
    })();
    const backup = await cli(['backup', backupDir], { CBEC_DATA_DIR: dataDir }, work);
    loading = false;
    await load;
    expect(backup.err).toEqual([]);
    expect(backup.code).toBe(0);
    expect(ackedDuring.length).toBeGreaterThan(0);
    expect(Object.keys(backup.out.files)).toEqual(expect.arrayContaining(['events.db', 'audit-tree.db', 'audit-digests.db', 'idempotency.db', 'jwt-secret']));
    expect(backup.out.files['events.db']).toMatchObject({ bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(backup.out.treeHead.treeSize).toBeGreaterThanOrEqual(head.body.treeSize);
    expect(backup.out.rebuiltFromLog).toEqual(expect.arrayContaining(['read-models.db', 'process.db']));
    expect(readdirSync(backupDir)).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig']));
  });

  it('restores into a fresh folder holding every command acknowledged before the backup, and the log extends the trusted head', async () => {
    const target = join(work, 'restored');
    const restored = await cli(['restore', backupDir, '--trusted-head', trusted], { CBEC_DATA_DIR: target }, work);
    expect(restored.out.problems).toEqual([]);
    expect(restored.code).toBe(0);
    const db = new Database(join(target, 'events.db'), { readonly: true });
    const streams = new Set(db.prepare(`SELECT stream_id FROM events WHERE type = 'ApplicationSubmitted'`).pluck().all() as string[]);
    db.close();
    for (const id of ackedBeforeBackup) expect(streams).toContain(`application-${id}`);
    const verified = await cli(['audit', 'verify', '--trusted-head', trusted], { CBEC_DATA_DIR: target }, work);
    expect(verified.out.breaks).toEqual([]);
    expect(verified.code).toBe(0);
    expect(verified.out.tree.trustedHead).toMatchObject({ consistent: true });
  });

  it('refuses a backup whose log was changed after it was taken, and one that does not extend the trusted head', async () => {
    const changed = join(work, 'changed-backup');
    cpSync(backupDir, changed, { recursive: true });
    const db = new Database(join(changed, 'events.db'));
    dropAppendOnlyGuards(db);
    db.prepare(`UPDATE events SET recorded_at = '2019-01-01T00:00:00.000Z' WHERE global_position = 2`).run();
    db.close();
    const target = join(work, 'not-restored');
    const refused = await cli(['restore', changed], { CBEC_DATA_DIR: target }, work);
    expect(refused.code).toBe(1);
    expect(refused.out.problems.join(' ')).toMatch(/events.db: its SHA-256 differs from the manifest/);
    expect(existsSync(join(target, 'events.db'))).toBe(false);

    // A head from another history (a later log of another folder) is not extended by this backup.
    const other = join(work, 'other-head.json');
    writeFileSync(other, JSON.stringify({ ...JSON.parse(readFileSync(trusted, 'utf8')), rootHash: 'ab'.repeat(32) }));
    const notExtended = await cli(['restore', backupDir, '--trusted-head', other], { CBEC_DATA_DIR: target }, work);
    expect(notExtended.code).toBe(1);
    expect(notExtended.out.problems.join(' ')).toMatch(/does not extend the trusted head/);
    expect(readdirSync(target)).toEqual([]);
  });
});
