import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, evaluationToJson } from '@cbec/domain';
import { E2eApp, startApp } from './support/e2e-app';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/cases', name), 'utf8')) as Record<string, unknown>;

/** `POST /api/v1/evaluate`: the CLI's `evaluate` over HTTP, the server's clock refusing a year not over. */
describe('evaluate over HTTP', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp({ now: '2020-03-02T02:00:00.000Z' });
  });
  afterAll(() => e2e.close());
  const post = (body: unknown) =>
    e2e
      .http()
      .post('/api/v1/evaluate')
      .set(e2e.auth('COM', 'officer'))
      .send(body as object);

  it('answers each example case file as the engine does', async () => {
    for (const name of ['p2b-trade-increment-subsidy.json', 'p3a-platform-investment-subsidy.json', 'p1-already-awarded.json']) {
      const res = await post(fixture(name));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(evaluationToJson(evaluate(fixture(name))))));
    }
  });

  it('refuses, as the submission does, an award year before the policy and one not over at the server’s clock', async () => {
    const p1 = fixture('p1-export-reward.json');
    const early = await post({ ...p1, year: 2018 });
    expect(early.body).toMatchObject({ eligible: false, amountCny: '0.00', reasons: ['policy-not-in-force'] });
    const current = await post({ ...p1, year: 2020 });
    expect(current.body).toMatchObject({ eligible: false, reasons: ['award-year-not-over'] });
  });

  it('answers 400 naming the field of a malformed case file, and 401 without a token', async () => {
    const bad = await post({ ...fixture('p1-export-reward.json'), customsYears: ['2018'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid-input', errors: [{ field: 'customsYears[0]' }] });
    expect((await e2e.http().post('/api/v1/evaluate').send({})).status).toBe(401);
  });
});
