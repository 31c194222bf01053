import { HttpException, NotFoundException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { InvalidTransition, Money } from '@cbec/domain';
import { WrongExpectedVersion } from '@cbec/event-store';
import { Forbidden, VersionConflict } from './errors';
import { parseIfMatch } from './if-match';
import { toProblem } from './problem.filter';

describe('problem+json answers', () => {
  it("renders a refusal of the case's state machine as a 409 that still says which status the case is in", () => {
    const p = toProblem(new InvalidTransition('case', 'objected', 'RecordReviewOpinion'));
    expect(p).toMatchObject({ status: 409, code: 'invalid-transition', type: 'urn:cbec:problem:invalid-transition', currentStatus: 'objected' });
  });

  it('renders a stale If-Match with the actual version', () => {
    expect(toProblem(new VersionConflict('application-1', 2, 5))).toMatchObject({ status: 409, expectedVersion: 2, actualVersion: 5 });
    expect(toProblem(new WrongExpectedVersion('fund-2019', 3, 4))).toMatchObject({ status: 409, code: 'version-conflict', actualVersion: 4 });
  });

  it('names the field of bad money', () => {
    let error: unknown;
    try {
      Money.parse(5000, 'CNY', 'amountCny');
    } catch (e) {
      error = e;
    }
    expect(toProblem(error)).toMatchObject({ status: 400, code: 'invalid-money', errors: [{ field: 'amountCny' }] });
  });

  it('says nothing internal about an unexpected error', () => {
    expect(toProblem(new TypeError('secret detail'))).toEqual({
      type: 'urn:cbec:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      code: 'internal-error',
      detail: 'the server failed to handle this request; it was logged',
    });
    expect(toProblem(new Forbidden('no')).status).toBe(403);
  });
});

describe("Fastify's refusals of a request body, with the API's own codes", () => {
  // Nest's Fastify adapter hands a FastifyError to the filters as an HttpException whose cause it is.
  const asNestMapsIt = (error: Error & { statusCode?: number }) => new HttpException(error.message, error.statusCode ?? 500, { cause: error });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), 413, 'payload-too-large'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), 415, 'unsupported-media-type'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), 400, 'invalid-request'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), 400, 'invalid-request'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), 400, 'invalid-request'],
  ])('answers %s with %i %s, as thrown and as Nest maps it', (_name, error, status, code) => {
    for (const thrown of [error, asNestMapsIt(error)]) {
      expect(toProblem(thrown)).toMatchObject({ status, code, type: `urn:cbec:problem:${code}` });
    }
  });

  it('keeps the detail of a body too large as it read before', () => {
    expect(toProblem(asNestMapsIt(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())).detail).toBe('request entity too large');
  });

  it("answers Nest's own exceptions by their status", () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, code: 'not-found', detail: 'Cannot GET /x' });
    expect(toProblem(new HttpException('unsupported charset "LATIN1"', 415))).toMatchObject({ status: 415, code: 'http-415' });
  });
});

describe('If-Match', () => {
  it('reads a version, plain, quoted or weak, and refuses anything else', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(() => parseIfMatch('*')).toThrow(/If-Match/);
  });
});
