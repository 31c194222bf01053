import { firstAccountLine, nestLogLevels, startupLine } from './startup-log';

describe('what npm start prints', () => {
  it('keeps Nest to warnings and errors by default, so the route-mapping lines do not drown the start-up line', () => {
    expect(nestLogLevels({})).toEqual(['error', 'warn']);
    expect(nestLogLevels({ CBEC_LOG_LEVEL: ' ' })).toEqual(['error', 'warn']);
  });

  it('follows CBEC_LOG_LEVEL', () => {
    expect(nestLogLevels({ CBEC_LOG_LEVEL: 'debug' })).toEqual(['error', 'warn', 'log', 'debug']);
    expect(nestLogLevels({ CBEC_LOG_LEVEL: 'LOG' })).toEqual(['error', 'warn', 'log']);
    expect(nestLogLevels({ CBEC_LOG_LEVEL: 'error' })).toEqual(['error']);
  });

  it('refuses an unknown level, naming the variable and the accepted values', () => {
    expect(() => nestLogLevels({ CBEC_LOG_LEVEL: 'verbose' })).toThrow('CBEC_LOG_LEVEL must be one of debug, log, warn, error; got "verbose"');
  });

  it('says in one line where the server listens, where its data is, which store it uses and where the OpenAPI is', () => {
    expect(startupLine(3000, '/srv/cbec/data', {})).toBe(
      'workflow-api listening on http://localhost:3000 · data: /srv/cbec/data · store: SQLite · OpenAPI: http://localhost:3000/api/docs',
    );
    expect(startupLine(8080, '/d', { EVENTSTORE_CONNECTION_STRING: 'esdb://x:2113' })).toContain('store: EventStoreDB');
  });
});

describe('the first account', () => {
  it('says how to create the first administrator while the data folder has no account, and nothing after', () => {
    const line = firstAccountLine('/srv/cbec/data', false);
    expect(line).toContain('CBEC_DATA_DIR=/srv/cbec/data npm run --silent cli -- users add --username admin --unit ADMIN --role admin --password-stdin');
    expect(line).not.toContain('\n');
    expect(firstAccountLine('/srv/cbec/data', true)).toBeNull();
  });
});
