import { CommitAnnouncer } from './commit-announcer';

describe('CommitAnnouncer: commits are announced to the other threads at most once per interval', () => {
  let clock = 0;
  let posts: number[];
  const channel = { postMessage: () => posts.push(clock) };

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 1_000;
    posts = [];
  });
  afterEach(() => jest.useRealTimers());

  const advance = (ms: number): void => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  it('announces the first commit after a quiet spell at once', () => {
    const announcer = new CommitAnnouncer(channel, 50, () => clock);
    announcer.announce();
    expect(posts).toEqual([1_000]);
    advance(60);
    announcer.announce();
    expect(posts).toEqual([1_000, 1_060]);
  });

  it('gathers the commits of a busy spell into one announcement at the end of each interval', () => {
    const announcer = new CommitAnnouncer(channel, 50, () => clock);
    announcer.announce(); // at once
    for (let i = 0; i < 10; i++) {
      advance(4);
      announcer.announce();
    }
    expect(posts).toEqual([1_000]);
    advance(10); // 1_050: the end of the interval
    expect(posts).toEqual([1_000, 1_050]);
    advance(100);
    expect(posts).toEqual([1_000, 1_050]); // nothing new, nothing posted
  });

  it('never leaves a commit unannounced: flush posts the pending announcement at once', () => {
    const announcer = new CommitAnnouncer(channel, 50, () => clock);
    announcer.announce();
    advance(5);
    announcer.announce();
    expect(posts).toHaveLength(1);
    announcer.flush();
    expect(posts).toEqual([1_000, 1_005]);
    advance(100);
    expect(posts).toHaveLength(2); // the cancelled timer does not post again
    announcer.flush();
    expect(posts).toHaveLength(2); // nothing pending, nothing posted
  });

  it('with interval 0 announces every commit', () => {
    const announcer = new CommitAnnouncer(channel, 0, () => clock);
    announcer.announce();
    announcer.announce();
    expect(posts).toEqual([1_000, 1_000]);
  });

  it('refuses an interval that is not a number >= 0, by name', () => {
    expect(() => new CommitAnnouncer(channel, -1)).toThrow('intervalMs must be a number >= 0, got -1');
    expect(() => new CommitAnnouncer(channel, Number.NaN)).toThrow('intervalMs must be a number >= 0, got NaN');
  });
});
