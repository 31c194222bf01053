import { type ReadLog, type ReadRecord, RetentionViolation } from './read-log';

/**
 * What every ReadLog adapter does; each adapter's spec calls this with a fresh, empty log per test and a
 * way to run hand-written SQL on its table (`reads` on SQLite, `audit_reads` on PostgreSQL).
 */
export function readLogContract(
  name: string,
  open: () => Promise<ReadLog> | ReadLog,
  sql: (log: ReadLog, statement: 'update' | 'delete') => Promise<unknown>,
): void {
  describe(`ReadLog contract: ${name}: who read which case is kept at least 183 days`, () => {
    let log: ReadLog;
    const now = new Date('2026-11-25T12:00:00Z');
    const read = (at: string, applicationId: string, user = 'auditor-1'): ReadRecord => ({
      at,
      user,
      unit: 'AUDIT',
      role: 'auditor',
      method: 'GET',
      path: `/api/v1/applications/${applicationId}`,
      applicationId,
      streamId: null,
      status: 200,
    });
    beforeEach(async () => {
      log = await open();
    });
    afterEach(async () => {
      await log.close();
    });

    it('answers the records in the order written, filtered by case, user and time', async () => {
      await log.record(read('2026-11-01T00:00:00.000Z', 'a-1'));
      await log.record(read('2026-11-02T00:00:00.000Z', 'a-2', 'auditor-2'));
      await log.record(read('2026-11-03T00:00:00.000Z', 'a-1', 'auditor-2'));
      expect((await log.query()).map((r) => r.at)).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z']);
      expect(await log.query({ applicationId: 'a-1', user: 'auditor-2' })).toEqual([read('2026-11-03T00:00:00.000Z', 'a-1', 'auditor-2')]);
      expect((await log.query({ from: '2026-11-02T00:00:00.000Z', to: '2026-11-02T23:00:00.000Z' })).map((r) => r.applicationId)).toEqual(['a-2']);
      expect(await log.query({ limit: 1 })).toHaveLength(1);
    });

    it('refuses a purge that would delete records younger than 183 days, and deletes nothing', async () => {
      await log.record(read('2026-01-10T00:00:00Z', 'a-1'));
      await log.record(read('2026-11-01T00:00:00Z', 'a-2'));
      await expect(log.purgeBefore(new Date('2026-06-01T00:00:00Z'), now)).rejects.toThrow(RetentionViolation);
      expect(await log.query()).toHaveLength(2);
    });

    it('purges only what is older than the date given, once the date is 183 days back', async () => {
      await log.record(read('2025-01-10T00:00:00Z', 'a-1'));
      await log.record(read('2026-11-01T00:00:00Z', 'a-2'));
      expect(await log.purgeBefore(new Date('2026-05-01T00:00:00Z'), now)).toEqual({ deleted: 1 });
      expect((await log.query()).map((r) => r.applicationId)).toEqual(['a-2']);
    });

    it('is append-only even to hand-written SQL', async () => {
      await log.record(read(new Date().toISOString(), 'a-3'));
      await expect(sql(log, 'update')).rejects.toThrow('append-only');
      await expect(sql(log, 'delete')).rejects.toThrow('183 days');
      expect(await log.query({ applicationId: 'a-3' })).toHaveLength(1);
    });
  });
}
