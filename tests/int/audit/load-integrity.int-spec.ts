import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { fundDecider, fundStreamId } from '@cbec/domain';
import { canonicalJson, dropAppendOnlyGuards, hashFromCanonicalParts } from '@cbec/event-store';
import { AggregateStore, IntegrityViolation, toProblem } from '@cbec/platform';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../../../apps/workflow-api/src/app.module';
import { configureApp, createHttpAdapter, initApp, NEST_APP_OPTIONS } from '../../../apps/workflow-api/src/configure-app';
import { SqliteSecurityLog } from '../../../libs/audit/src/integrity/security-log';
import { auditFiles } from '../../../libs/audit/src/shared/audit-files';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir } from '../../../libs/audit/src/testing/audit-fixture';

type Row = Record<string, string | number>;

/** Raises the fund's appropriation in the file, as an insider would: in place, or with every hash recomputed. */
function raiseAppropriation(file: string, recomputeHashes: boolean): void {
  const db = new Database(file);
  dropAppendOnlyGuards(db);
  const rows = db.prepare(`SELECT * FROM events WHERE stream_id = 'fund-2019' ORDER BY version`).all() as Row[];
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const data = JSON.parse(r.data as string) as Record<string, unknown>;
    if (r.version === 0) for (const k of Object.keys(data)) if (k.endsWith('Cny')) data[k] = '90000000.00';
    const dataText = canonicalJson(data);
    const fields = {
      streamId: 'fund-2019',
      version: r.version as number,
      eventId: r.event_id as string,
      type: r.type as string,
      schemaVersion: r.schema_version as number,
      prevHash: prev,
    };
    const hash = recomputeHashes ? hashFromCanonicalParts(fields, dataText, r.metadata as string) : (r.hash as string);
    db.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE global_position = ?').run(
      dataText,
      recomputeHashes ? prev : r.prev_hash,
      hash,
      r.global_position,
    );
    prev = hash;
  }
  db.close();
}

describe('the server checks the hash chain of every stream it loads for a command', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function seeded(): Promise<string> {
    const dir = tempDataDir();
    dirs.push(dir);
    const store = openTempStore(dir);
    await seedApprovedCase(new CaseDriver(store), 'a-0001');
    await store.close();
    return dir;
  }

  it('refuses a stream edited in place, from the first load', async () => {
    const dir = await seeded();
    raiseAppropriation(join(dir, 'events.db'), false);
    const store = openTempStore(dir);
    const aggregates = new AggregateStore(store);
    const refused = await aggregates.load(fundStreamId(2019), fundDecider).catch((e: unknown) => e);
    await store.close();
    expect(refused).toBeInstanceOf(IntegrityViolation);
    expect(toProblem(refused)).toMatchObject({ status: 503, code: 'integrity-violation', streamId: 'fund-2019', version: 0 });
    expect(aggregates.integrity.breaks()).toEqual([expect.objectContaining({ streamId: 'fund-2019', version: 0, detail: expect.stringMatching(/edited/) })]);
  });

  it('refuses a stream edited in place when it is folded without keeping its events (a customs year for an import)', async () => {
    const dir = await seeded();
    raiseAppropriation(join(dir, 'events.db'), false);
    const store = openTempStore(dir);
    const aggregates = new AggregateStore(store);
    const refused = await aggregates.loadState(fundStreamId(2019), fundDecider, () => false).catch((e: unknown) => e);
    await store.close();
    expect(refused).toBeInstanceOf(IntegrityViolation);
    expect(aggregates.integrity.breaks()).toEqual([expect.objectContaining({ streamId: 'fund-2019', version: 0, detail: expect.stringMatching(/edited/) })]);
  });

  it('refuses, on a light fold, a stream that lost events after it was verified', async () => {
    const dir = await seeded();
    const store = openTempStore(dir);
    const aggregates = new AggregateStore(store);
    const before = await aggregates.loadState(fundStreamId(2019), fundDecider, () => false);
    const db = new Database(join(dir, 'events.db'));
    dropAppendOnlyGuards(db);
    db.prepare(`DELETE FROM events WHERE stream_id = 'fund-2019' AND version = ?`).run(before.version);
    db.close();
    const refused = await aggregates.loadState(fundStreamId(2019), fundDecider, () => false).catch((e: unknown) => e);
    await store.close();
    expect(refused).toBeInstanceOf(IntegrityViolation);
    expect((refused as IntegrityViolation).detail).toMatch(/ends before version/);
  });

  it('refuses a stream rewritten with recomputed hashes after it was verified, and keeps refusing it', async () => {
    const dir = await seeded();
    const store = openTempStore(dir);
    const aggregates = new AggregateStore(store);
    const before = await aggregates.load(fundStreamId(2019), fundDecider);
    expect(before.version).toBeGreaterThan(0);
    raiseAppropriation(store.file, true);
    await expect(aggregates.load(fundStreamId(2019), fundDecider)).rejects.toThrow(
      /fund-2019 fails its integrity check at version \d+ \(the event verified with hash/,
    );
    await expect(aggregates.load(fundStreamId(2019), fundDecider)).rejects.toBeInstanceOf(IntegrityViolation);
    // Other streams still take commands.
    await expect(aggregates.load('application-a-0001', { initialState: () => 0, evolve: (n: number) => n + 1 })).resolves.toMatchObject({ state: 7 });
    await store.close();
  });

  it('turns /health red and records a security event when a loaded stream fails', async () => {
    const dir = await seeded();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ dataDir: dir, env: {} })] }).compile();
    const app = await initApp(
      configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { ...NEST_APP_OPTIONS, logger: false }), { docs: false }),
    );
    try {
      await request(app.getHttpServer()).get('/health').expect(200);
      raiseAppropriation(join(dir, 'events.db'), false);
      await expect(app.get(AggregateStore).load(fundStreamId(2019), fundDecider)).rejects.toBeInstanceOf(IntegrityViolation);
      const health = await request(app.getHttpServer()).get('/health').expect(503);
      expect(health.body).toMatchObject({ status: 503, code: 'integrity-violation', breaks: [expect.objectContaining({ streamId: 'fund-2019', version: 0 })] });
    } finally {
      await app.close();
    }
    const log = new SqliteSecurityLog(auditFiles(dir).securityDb);
    expect(await log.all()).toEqual([expect.objectContaining({ kind: 'integrity-violation', subject: 'fund-2019@0' })]);
    await log.close();
  });
});
