import { canonicalJson } from '@cbec/event-store';
import { canonicalBody, type DigestBody } from './digest';

/** The signed text of a digest is the canonical JSON of its body, however `changed` is written out. */
describe('the canonical text of a digest body', () => {
  const body: DigestBody = {
    seq: 2,
    globalPosition: 20,
    streamCount: 2,
    headsRoot: 'a'.repeat(64),
    changed: { 'fund-2019': { version: 3, hash: 'b'.repeat(64) }, 'application-a-0001': { version: 7, hash: 'c'.repeat(64) } },
    prevDigestHash: 'd'.repeat(64),
    createdAt: '2020-01-01T00:00:00.000Z',
    reason: 'interval',
  };

  it.each<[string, unknown]>([
    ['a body as written', body],
    ['a body with no heads changed', { ...body, changed: {} }],
    ['a body carrying only its heads', { changed: body.changed }],
    ['a body with a key that sorts before changed', { ...body, aardvark: 1, Changed: true }],
    ['a body without changed', { ...body, changed: undefined }],
    ['a body whose changed is not an object', { ...body, changed: null }],
  ])('is the canonical JSON of %s', (_name, value) => {
    const { text, changedText } = canonicalBody(value as DigestBody);
    expect(text).toBe(canonicalJson(value));
    if ((value as DigestBody).changed !== undefined) expect(changedText).toBe(canonicalJson((value as DigestBody).changed));
  });

  it('refuses a body that JSON cannot represent, naming where', () => {
    expect(() => canonicalBody({ ...body, changed: { s: { version: NaN, hash: 'x' } } })).toThrow('$.changed.s.version');
  });
});
