import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionFailed } from '@cbec/projections';
import { deterministicId } from '@cbec/platform';
import { E2eApp, startApp } from './support/e2e-app';
import { appropriate } from './support/flows';

/**
 * docs/limits.md, "When a projection fails": a projection that stops at an event is loud. The failure is
 * injected as a log written before the amount limits may hold it: an appropriation of
 * ¥99,999,999,999,999,999,999,999.99, which no command takes today and the fund projection cannot store.
 */
describe('a projection that fails is loud, never silent', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbec-e2e-projection-failure-'));
  let e2e: E2eApp;
  let bad: number;
  let errors: jest.SpyInstance;

  beforeAll(async () => {
    errors = jest.spyOn(Logger.prototype, 'error');
    e2e = await startApp({ dataDir });
    await appropriate(e2e, 2019, '1000000.00');
    const { lastGlobalPosition } = await e2e.store.append(
      'fund-2021',
      [
        {
          eventId: deterministicId('e2e', 'oversized-appropriation'),
          type: 'FundBudgetAllocated',
          data: { year: 2021, amountCny: '99999999999999999999999999.99' },
          metadata: {
            correlationId: 'e2e',
            causationId: null,
            commandId: null,
            actor: { user: 'fin-head', unit: 'FIN', role: 'head' },
            occurredAt: '2020-03-02T02:00:00.000Z',
            policyVersion: null,
          },
        },
      ],
      { expectedVersion: 'no-stream' },
    );
    bad = lastGlobalPosition;
    await expect(e2e.caughtUp(bad)).rejects.toBeInstanceOf(ProjectionFailed);
  });
  afterAll(async () => {
    errors.mockRestore();
    await e2e?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const failure = () => ({
    projection: 'fund-status',
    checkpoint: bad - 1,
    globalPosition: bad,
    streamId: 'fund-2021',
    streamVersion: 0,
    eventType: 'FundBudgetAllocated',
    eventId: deterministicId('e2e', 'oversized-appropriation'),
    error: 'amountCny 99999999999999999999999999.99 is above what a read model stores exactly (92233720368547758.07)',
  });

  it('GET /health answers 503 naming the projection, the event (stream, position, type) and the error', async () => {
    const res = await e2e.http().get('/health');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:cbec:problem:projection-failed',
      title: 'Service Unavailable',
      status: 503,
      code: 'projection-failed',
      detail:
        `projection "fund-status" failed at event ${bad} (FundBudgetAllocated on fund-2021, version 0): ${failure().error}; ` +
        'its read model stays at the position before it until the projection is fixed',
      headPosition: bad,
      failures: [failure()],
    });
  });

  it('a read waiting past the stalled projection is answered at once with a 503 naming it; the log names the event once', async () => {
    const reads = await Promise.all(
      ['/api/v1/funds/2019', '/api/v1/inbox', '/api/v1/funds/2019', '/api/v1/inbox'].map((path) =>
        e2e.http().get(`${path}?minPosition=${bad}`).set(e2e.auth('FIN', 'head')),
      ),
    );
    for (const read of reads) {
      expect(read.status).toBe(503);
      expect(read.body).toMatchObject({ code: 'projection-failed', failure: { projection: 'fund-status', globalPosition: bad, streamId: 'fund-2021' } });
    }
    // Reads up to the position before it are served.
    const before = await e2e
      .http()
      .get(`/api/v1/funds/2019?minPosition=${bad - 1}`)
      .set(e2e.auth('FIN', 'head'));
    expect([before.status, before.body.appropriationCny]).toEqual([200, '1000000.00']);
    const logged = errors.mock.calls.map((call) => String(call[0]));
    expect(logged.filter((line) => line.includes('fund-status'))).toEqual([
      `projection "fund-status" failed at event ${bad} (FundBudgetAllocated on fund-2021, version 0): ${failure().error}`,
    ]);
  });

  it('after a restart the projection fails the same way and /health says so again', async () => {
    await e2e.close();
    e2e = await startApp({ dataDir });
    await expect(e2e.caughtUp(bad)).rejects.toBeInstanceOf(ProjectionFailed);
    const res = await e2e.http().get('/health');
    expect(res.status).toBe(503);
    expect(res.body.failures).toEqual([failure()]);
  });
});
