// One runner, three tiers by file suffix (README, "Tests"): *.spec.ts pure and fast, *.int-spec.ts against a
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

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tests}/**/*.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{apps,libs,tests}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts'] },
  ],
};
