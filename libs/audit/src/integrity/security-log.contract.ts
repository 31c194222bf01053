import type { AccessRefusal, SecurityLog } from './security-log';

/**
 * What every SecurityLog adapter does; each adapter's spec calls this with a fresh, empty log per test and
 * a way to run hand-written SQL on its refusals table.
 */
export function securityLogContract(
  name: string,
  open: () => Promise<SecurityLog> | SecurityLog,
  sql: (log: SecurityLog, statement: 'update' | 'delete') => Promise<unknown>,
): void {
  describe(`SecurityLog contract: ${name}`, () => {
    let log: SecurityLog;
    beforeEach(async () => {
      log = await open();
    });
    afterEach(async () => {
      await log.close();
    });
    const refusal = (at: string, status: number, user: string | null, ip = '10.0.0.1'): AccessRefusal => ({
      at,
      status,
      code: status === 401 ? 'unauthorized' : 'forbidden',
      method: 'GET',
      path: '/api/v1/inbox',
      user,
      unit: user ? 'FIN' : null,
      role: user ? 'officer' : null,
      ip,
      detail: 'no',
    });

    it('keeps refusals written in batches, oldest first, filtered, the limit counting from the newest', async () => {
      await log.recordRefusals([refusal('2026-12-01T00:00:00.000Z', 401, null), refusal('2026-12-02T00:00:00.000Z', 403, 'li')]);
      await log.recordRefusals([refusal('2026-12-03T00:00:00.000Z', 403, 'li', '10.0.0.2')]);
      await log.recordRefusals([]);
      expect((await log.refusals()).map((r) => r.at)).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z']);
      expect(await log.refusals({ status: 401 })).toEqual([refusal('2026-12-01T00:00:00.000Z', 401, null)]);
      expect((await log.refusals({ user: 'li', limit: 1 })).map((r) => r.ip)).toEqual(['10.0.0.2']);
      expect((await log.refusals({ ip: '10.0.0.1', from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z' })).map((r) => r.status)).toEqual([403]);
    });

    it('keeps integrity findings in order, and refuses UPDATE and DELETE even to hand-written SQL', async () => {
      await log.record({ at: '2026-12-01T00:00:00.000Z', kind: 'integrity-violation', subject: 'fund-2019@0', detail: 'hash' });
      await log.record({ at: '2026-12-02T00:00:00.000Z', kind: 'tree-head-refused', subject: 'audit-tree', detail: 'fork' });
      expect((await log.all()).map((e) => e.kind)).toEqual(['integrity-violation', 'tree-head-refused']);
      await log.recordRefusals([refusal('2026-12-01T00:00:00.000Z', 401, null)]);
      await expect(sql(log, 'update')).rejects.toThrow('append-only');
      await expect(sql(log, 'delete')).rejects.toThrow('append-only');
      expect(await log.refusals()).toHaveLength(1);
    });
  });
}
