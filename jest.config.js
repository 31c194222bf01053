// One runner, tiers by file suffix (README, "Tests"): *.spec.ts pure and fast, *.int-spec.ts against a
// real store or broker, tests/e2e/*.e2e-spec.ts over HTTP.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      swcrc: false,
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    },
  ],
};
const moduleNameMapper = {
  '^@cbec/(domain|event-store|messaging|projections|workflow|audit|platform)$': '<rootDir>/libs/$1/src',
};
// NestJS 12, canonicalize and content-disposition (of @fastify/static, which serves the OpenAPI UI's assets)
// ship ES modules only; Jest on Node 20 cannot require them, so swc turns them into CommonJS.
transform['^.+\\.js$'] = ['@swc/jest', { swcrc: false, jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } }];
const transformIgnorePatterns = ['/node_modules/(?!(@nestjs|canonicalize|@fastify/static/node_modules/content-disposition|content-disposition)/)'];
const common = { transform, transformIgnorePatterns, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };

// The workbench (apps/workbench, docs/workbench.md): its components and pages in jsdom with Testing Library
// (`web`), and the built server driven by a real Chromium (`ui`, tests/ui/*.ui-spec.ts).
const WORKBENCH = '<rootDir>/apps/workbench/';
const web = {
  ...common,
  displayName: 'web',
  testEnvironment: 'jsdom',
  testMatch: [`${WORKBENCH}src/**/*.spec.{ts,tsx}`],
  transform: {
    '^.+\\.(ts|tsx|js|mjs)$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } },
        module: { type: 'commonjs' },
      },
    ],
  },
  // antd, its rc-components and the others ship ES modules: swc turns them into CommonJS for Jest.
  transformIgnorePatterns: [
    '/node_modules/(?!(antd|@ant-design|@rc-component|rc-[a-z-]+|@babel/runtime|openapi-fetch|react-router|@tanstack|dayjs|throttle-debounce|stylis|@emotion)/)',
  ],
  moduleNameMapper: {
    '^@cbec/i18n$': '<rootDir>/libs/domain/src/i18n/index.ts',
    '^@cbec/uscc$': '<rootDir>/libs/domain/src/shared/uscc.ts',
  },
  setupFilesAfterEnv: [`${WORKBENCH}src/test/setup.ts`],
};

// The e2e flows that run a second time with the event log on PostgreSQL (tests/e2e/support/e2e-engine.ts):
// when no server answers there, the project is left out with a printed line (under CI=true it stays, and fails).
const E2E_ON_POSTGRES = [
  'case-lifecycle',
  'approval-concurrency',
  'refusals',
  'readme-walkthrough',
  'process-restart',
  'audit-served',
  'process-overdue',
  'process-approval-repair',
  'policy-examples',
  'shared-database',
  'shared-calendar',
];
function postgresProject() {
  const probe = require('node:child_process').spawnSync(
    process.execPath,
    [
      '-e',
      "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:2000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))",
      process.env.CBEC_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    ],
    { cwd: __dirname, timeout: 5000 },
  );
  if (probe.status !== 0 && process.env.CI !== 'true') {
    console.log('SKIPPED: project e2e-pg (the e2e flows on PostgreSQL): no PostgreSQL server answers (set CBEC_TEST_DATABASE_URL)');
    return [];
  }
  return [
    {
      ...common,
      displayName: 'e2e-pg',
      testMatch: E2E_ON_POSTGRES.map((name) => `<rootDir>/tests/e2e/${name}.e2e-spec.ts`),
      setupFilesAfterEnv: ['<rootDir>/tests/e2e/support/on-postgres.setup.ts'],
    },
  ];
}

module.exports = {
  // Specs that start a store, a server, a thread or a browser: Jest's 5 s default failed them on a loaded 2-core
  // machine though nothing hung (each waits on what it started with its own deadline); a hung one still fails, after
  // 30 s. A global option: Jest ignores testTimeout inside a project's config.
  testTimeout: 30_000,
  // One worker per core, not Jest's default of one fewer: most specs spend their time waiting on what they
  // started (a server's start, a broker, PostgreSQL's commits, Chromium drawing a page), so on 2 cores two
  // workers finish the suite in about half the time of one (README, "Tests").
  maxWorkers: '100%',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tests}/**/*.spec.ts'], testPathIgnorePatterns: ['/node_modules/', WORKBENCH] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{apps,libs,tests}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts'] },
    ...postgresProject(),
    web,
    { ...common, displayName: 'ui', testMatch: ['<rootDir>/tests/ui/**/*.ui-spec.ts'] },
  ],
};
