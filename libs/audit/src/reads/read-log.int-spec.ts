import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir } from '../testing/audit-fixture';
import { ReadLog, RetentionViolation } from './read-log';

describe('the read log keeps who read which case for at least 183 days', () => {
  let dir: string;
  let log: ReadLog;
  const now = new Date('2026-11-25T12:00:00Z');
  const read = (at: string, applicationId: string) => ({
    at,
    user: 'auditor-1',
    unit: 'AUDIT',
    role: 'auditor',
    method: 'GET',
    path: `/api/v1/applications/${applicationId}`,
    applicationId,
    streamId: null,
    status: 200,
  });

  beforeEach(() => {
    dir = tempDataDir();
    log = new ReadLog(join(dir, 'audit-reads.db'));
  });
  afterEach(() => {
    log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a purge that would delete records younger than 183 days, and deletes nothing', () => {
    log.record(read('2026-01-10T00:00:00Z', 'a-1'));
    log.record(read('2026-11-01T00:00:00Z', 'a-2'));
    expect(() => log.purgeBefore(new Date('2026-06-01T00:00:00Z'), now)).toThrow(RetentionViolation);
    expect(log.query()).toHaveLength(2);
  });

  it('purges only what is older than the date given, once the date is 183 days back', () => {
    log.record(read('2025-01-10T00:00:00Z', 'a-1'));
    log.record(read('2026-11-01T00:00:00Z', 'a-2'));
    expect(log.purgeBefore(new Date('2026-05-01T00:00:00Z'), now)).toEqual({ deleted: 1 });
    expect(log.query().map((r) => r.applicationId)).toEqual(['a-2']);
  });

  it('is append-only even to hand-written SQL', () => {
    log.record(read(new Date().toISOString(), 'a-3'));
    const db = (log as unknown as { db: import('better-sqlite3').Database }).db;
    expect(() => db.prepare('UPDATE reads SET user = ?').run('someone-else')).toThrow('append-only');
    expect(() => db.prepare('DELETE FROM reads').run()).toThrow('183 days');
    expect(log.query({ applicationId: 'a-3' })).toHaveLength(1);
  });
});
