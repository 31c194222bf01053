import { assertWithinHead, PositionBeyondHead } from './read-position.request';
import { toProblem } from './problem.filter';

describe('a read position beyond the head of the log', () => {
  const store = (head: number) => ({ headPosition: async () => head });

  it('is refused at once, as a 400 naming minPosition and the head', async () => {
    const refusal = await assertWithinHead(store(118), 119).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PositionBeyondHead);
    expect(toProblem(refusal)).toEqual({
      type: 'urn:cbec:problem:position-beyond-head',
      title: 'Bad Request',
      status: 400,
      code: 'position-beyond-head',
      detail: 'minPosition 119 is beyond the head of the log (118): use a position a command answered',
      minPosition: 119,
      head: 118,
      errors: [{ field: 'minPosition', reason: 'must be at most the head of the log, 118', limit: 118 }],
    });
  });

  it('is not the head itself, nor anything before it: a command answered those', async () => {
    await expect(assertWithinHead(store(118), 118)).resolves.toBeUndefined();
    await expect(assertWithinHead(store(118), 1)).resolves.toBeUndefined();
  });

  it('is every position of an empty log', async () => {
    await expect(assertWithinHead(store(0), 1)).rejects.toBeInstanceOf(PositionBeyondHead);
  });
});
