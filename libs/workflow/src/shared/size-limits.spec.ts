import type { ArgumentMetadata } from '@nestjs/common';
import { DisburseAwardRequest } from '../disburse-award/disburse-award.request';
import { RejectApplicationRequest } from '../reject-application/reject-application.request';
import { SubmitApplicationRequest } from '../submit-application/submit-application.request';
import {
  MAX_LIST_ITEMS,
  MAX_PROGRAM_LENGTH,
  MAX_REF_LENGTH,
  MAX_STATED_CUSTOMS,
  MAX_TEXT_LENGTH,
  toProblem,
  createValidationPipe,
  UnreadBody,
} from '@cbec/platform';

/** What the global pipe answers for a body of the request class (undefined: accepted). */
async function problemOf(value: unknown, metatype: ArgumentMetadata['metatype']) {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype, data: '' });
  } catch (error) {
    return toProblem(error);
  }
  return undefined;
}

const USCC = '91341500MA2010017C';
const submission = (claims: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  program: 'P2a',
  year: 2019,
  beneficiary: { uscc: USCC, kind: 'enterprise' },
  claims,
  ...extra,
});

describe('a command body the server did not read', () => {
  it('is a 415 naming the media type to send and the one sent, not a 400 listing every field as missing', async () => {
    const p = await problemOf(new UnreadBody('text/plain'), RejectApplicationRequest);
    expect(p).toMatchObject({ status: 415, code: 'unsupported-media-type', title: 'Unsupported Media Type' });
    expect(p?.detail).toBe('send the command as JSON with Content-Type: application/json (got text/plain)');
  });

  it('says so when the request had no Content-Type at all', async () => {
    expect((await problemOf(new UnreadBody(undefined), RejectApplicationRequest))?.detail).toMatch(/\(the request had no Content-Type\)$/);
  });

  it('is left to a route that reads no DTO (the customs import answers its own 415)', async () => {
    const unread = new UnreadBody('application/xml');
    expect(await createValidationPipe().transform(unread, { type: 'body', metatype: Object, data: '' })).toBe(unread);
  });

  it('is no concern of a command without a body: no body is an empty one, as before', async () => {
    expect(await problemOf(undefined, DisburseAwardRequest)).toMatchObject({
      status: 400,
      code: 'invalid-request',
      errors: expect.arrayContaining([expect.objectContaining({ field: 'paymentRef' })]),
    });
  });
});

describe('size limits of the command DTOs, each refusal naming the field and the limit', () => {
  it(`a reference: at most ${MAX_REF_LENGTH} characters`, async () => {
    expect(await problemOf({ paymentRef: 'p'.repeat(MAX_REF_LENGTH) }, DisburseAwardRequest)).toBeUndefined();
    const p = await problemOf({ paymentRef: 'p'.repeat(MAX_REF_LENGTH + 1) }, DisburseAwardRequest);
    expect(p).toMatchObject({ status: 400, code: 'invalid-request' });
    expect(p?.errors).toEqual([
      { field: 'paymentRef', reason: `paymentRef must be shorter than or equal to ${MAX_REF_LENGTH} characters`, limit: MAX_REF_LENGTH },
    ]);
  });

  it(`a free text: at most ${MAX_TEXT_LENGTH} characters`, async () => {
    expect(await problemOf({ reason: '因'.repeat(MAX_TEXT_LENGTH) }, RejectApplicationRequest)).toBeUndefined();
    expect((await problemOf({ reason: '因'.repeat(MAX_TEXT_LENGTH + 1) }, RejectApplicationRequest))?.errors).toEqual([
      expect.objectContaining({ field: 'reason', limit: MAX_TEXT_LENGTH }),
    ]);
  });

  it(`a claim's list (fees, served enterprises, recruits): at most ${MAX_LIST_ITEMS} items, refused without reading each`, async () => {
    const fees = (n: number) => submission({ promotesOnThirdPartyPlatform: true, platformFeesCny: Array.from({ length: n }, () => '1.00') });
    expect(await problemOf(fees(MAX_LIST_ITEMS), SubmitApplicationRequest)).toBeUndefined();
    expect((await problemOf(fees(MAX_LIST_ITEMS + 1), SubmitApplicationRequest))?.errors).toEqual([
      { field: 'claims.platformFeesCny', reason: `platformFeesCny must contain no more than ${MAX_LIST_ITEMS} elements`, limit: MAX_LIST_ITEMS },
    ]);
    for (const field of ['servedEnterprises', 'recruits']) {
      const p = await problemOf(submission({ [field]: Array.from({ length: MAX_LIST_ITEMS + 1 }, () => USCC) }, { program: 'P3a' }), SubmitApplicationRequest);
      expect(p?.errors).toEqual([expect.objectContaining({ field: `claims.${field}`, limit: MAX_LIST_ITEMS })]);
    }
  });

  it(`stated customs figures: at most ${MAX_STATED_CUSTOMS}`, async () => {
    const stated = Array.from({ length: MAX_STATED_CUSTOMS + 1 }, (_, i) => ({ year: 2000 + i }));
    expect((await problemOf(submission({ statedCustoms: stated }), SubmitApplicationRequest))?.errors).toEqual([
      expect.objectContaining({ field: 'claims.statedCustoms', limit: MAX_STATED_CUSTOMS }),
    ]);
  });

  it('an invoice reference, a document number and a name: at most the reference length', async () => {
    const longRef = 'r'.repeat(MAX_REF_LENGTH + 1);
    const invoice = await problemOf(submission({ platformFeesCny: [{ amountCny: '1.00', invoiceRef: longRef }] }), SubmitApplicationRequest);
    expect(invoice?.errors).toEqual([expect.objectContaining({ field: 'claims.platformFeesCny' })]);
    expect(invoice?.errors?.[0]?.reason).toBe(`platformFeesCny[0].invoiceRef must be at most ${MAX_REF_LENGTH} characters long`);
    const documentNo = await problemOf(submission({ provincialRecognition: { documentNo: longRef, date: '2019-06-30' } }), SubmitApplicationRequest);
    expect(documentNo?.errors).toEqual([expect.objectContaining({ field: 'claims.provincialRecognition.documentNo', limit: MAX_REF_LENGTH })]);
    const name = await problemOf({ ...submission({}), beneficiary: { uscc: USCC, kind: 'enterprise', name: longRef } }, SubmitApplicationRequest);
    expect(name?.errors).toEqual([expect.objectContaining({ field: 'beneficiary.name', limit: MAX_REF_LENGTH })]);
  });

  it(`a program: not echoed back when longer than ${MAX_PROGRAM_LENGTH} characters`, async () => {
    const p = await problemOf(submission({}, { program: 'P'.repeat(MAX_PROGRAM_LENGTH + 1) }), SubmitApplicationRequest);
    expect(p?.errors).toEqual([{ field: 'program', reason: expect.stringContaining(`at most ${MAX_PROGRAM_LENGTH} characters long`) }]);
    expect(p?.detail).not.toContain('PPPP');
  });
});
