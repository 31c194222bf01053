import { InvalidTransition, Money } from '@cbec/domain';
import { WrongExpectedVersion } from '@cbec/event-store';
import { Forbidden, VersionConflict } from './errors';
import { parseIfMatch } from './if-match';
import { toProblem } from './problem.filter';

describe('problem+json answers', () => {
  it('renders a refusal of the case\'s state machine as a 409 that still says which status the case is in', () => {
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

describe('If-Match', () => {
  it('reads a version, plain, quoted or weak, and refuses anything else', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(() => parseIfMatch('*')).toThrow(/If-Match/);
  });
});
