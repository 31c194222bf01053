import { withPlatformsOfRecruits } from './recheck-finder';

/** 复核: which enterprises' decided awards a customs batch's revisions may reach. */
describe('复核: the enterprises a revision reaches', () => {
  const platformOf = (uscc: string) => ({ 'recruit-1': 'platform-A', 'recruit-2': 'platform-A' })[uscc] ?? null;

  it('an enterprise whose own figures were revised, with its revisions', () => {
    expect(withPlatformsOfRecruits(new Map([['enterprise-1', ['rev-1']]]), platformOf)).toEqual(new Map([['enterprise-1', ['rev-1']]]));
  });

  it('a P3b recruit revised reaches the platform that counts it (四（三）: its award is computed on its recruits’ figures), with the recruit’s revisions', () => {
    const reached = withPlatformsOfRecruits(
      new Map([
        ['recruit-1', ['rev-1']],
        ['recruit-2', ['rev-2']],
        ['platform-A', ['rev-3']],
      ]),
      platformOf,
    );
    expect(reached).toEqual(
      new Map([
        ['recruit-1', ['rev-1']],
        ['platform-A', ['rev-1', 'rev-2', 'rev-3']],
        ['recruit-2', ['rev-2']],
      ]),
    );
  });
});
