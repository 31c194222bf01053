import { withoutServerPaths } from './without-server-paths';

describe('answers without server paths', () => {
  it('cuts every absolute path in a nested answer to its file name and leaves other text alone', () => {
    const report = {
      ok: true,
      digests: { publicKey: '/srv/cbec/data/audit-key.pub', checked: 3 },
      breaks: [{ detail: 'no event log at /tmp/cbec-e2e-x1/events.db' }],
      note: 'application-42 and 2020/03/02 and https://example.test/a/b',
    };
    expect(withoutServerPaths(report)).toEqual({
      ok: true,
      digests: { publicKey: 'audit-key.pub', checked: 3 },
      breaks: [{ detail: 'no event log at events.db' }],
      note: 'application-42 and 2020/03/02 and https://example.test/a/b',
    });
  });
});
