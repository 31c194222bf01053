import { E2eApp } from './e2e-app';

export interface Submission {
  program: string;
  year: number;
  beneficiary: { uscc: string; kind: string; manufacturing?: boolean };
  claims: Record<string, unknown>;
}

export function p2aSubmission(uscc: string, fees: unknown[] = ['120000.00', '30000.00']): Submission {
  return {
    program: 'P2a',
    year: 2019,
    beneficiary: { uscc, kind: 'enterprise', manufacturing: false },
    claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: fees },
  };
}

export function p1Submission(uscc: string, claims: Record<string, unknown> = { otherMunicipalTradeAward: false }): Submission {
  return { program: 'P1', year: 2019, beneficiary: { uscc, kind: 'enterprise' }, claims };
}

async function expectCreated(res: { status: number; body: unknown }, what: string): Promise<void> {
  if (res.status !== 201) throw new Error(`${what}: expected 201, got ${res.status} ${JSON.stringify(res.body)}`);
}

export async function submit(e2e: E2eApp, submission: Submission): Promise<string> {
  const res = await e2e
    .http()
    .post('/api/v1/applications')
    .set(e2e.auth('APPLICANT', 'applicant', submission.beneficiary.uscc))
    .send(submission);
  await expectCreated(res, 'submission');
  return res.body.applicationId as string;
}

export async function accept(e2e: E2eApp, id: string): Promise<void> {
  await expectCreated(await e2e.http().post(`/api/v1/applications/${id}/acceptance`).set(e2e.auth('FIN', 'officer')), 'acceptance');
}

export async function allApprove(e2e: E2eApp, id: string): Promise<void> {
  for (const unit of ['COM', 'CUS', 'PBC']) {
    const res = await e2e.http().post(`/api/v1/applications/${id}/opinions`).set(e2e.auth(unit, 'officer')).send({ verdict: 'approve', comment: 'ok' });
    await expectCreated(res, `${unit} opinion`);
  }
}

/** Submitted, accepted, and approved by every cooperating unit: awaiting the lead unit head's decision. */
export async function readyForDecision(e2e: E2eApp, submission: Submission): Promise<string> {
  const id = await submit(e2e, submission);
  await accept(e2e, id);
  await allApprove(e2e, id);
  return id;
}

export async function importCsv(e2e: E2eApp, text: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return e2e.http().post('/api/v1/customs-statistics').set(e2e.auth('CUS', 'officer')).set('Content-Type', 'text/csv').send(text);
}

export async function appropriate(e2e: E2eApp, year: number, amountCny: string): Promise<void> {
  await expectCreated(await e2e.http().post(`/api/v1/funds/${year}/appropriations`).set(e2e.auth('FIN', 'head')).send({ amountCny }), 'appropriation');
}
