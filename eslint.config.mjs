// ESLint for the monorepo (STYLE: "TypeScript strict everywhere, ESLint + Prettier"). `npm run lint` lints
// apps, libs and tests. Syntax-only presets on purpose: tsc --noEmit (strict) already checks the types, and
// the type-checked presets would make lint cost as much as a second type check.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * The allowed edges between our libraries, as the docs/architecture.md table states them. A library may import
 * only the libraries listed for it, by alias (`@cbec/<lib>`) or by a relative path into `<lib>/src`; and no
 * library file, spec or fixture imports an application or the repository's tests (a spec that starts an app
 * lives in tests/int/).
 */
export const LIBRARY_EDGES = {
  domain: [],
  'event-store': ['domain'],
  platform: ['domain', 'event-store'],
  workflow: ['platform', 'domain', 'event-store'],
  // The case page's award preview runs the approval's own input gathering (get-case/award-preview.ts).
  projections: ['platform', 'domain', 'event-store', 'workflow'],
  // The replay check rebuilds the read models to compare them with the live ones (replay-check/).
  audit: ['platform', 'domain', 'event-store', 'projections'],
  messaging: ['platform', 'domain', 'event-store'],
};
/** Names a library may import from an allowed edge when it is not allowed the whole library. */
const ALLOWED_NAMES = {
  projections: { workflow: ['CustomsFiguresReader', 'gatherApprovalInputs', 'customsEventIdsOf'] },
};

function libraryBoundaries() {
  const libs = Object.keys(LIBRARY_EDGES);
  const appsOrTests = {
    regex: '(^|/)(apps|tests)/',
    message: 'A library must not import an application or the repository tests; move a spec that starts an app to tests/int/.',
  };
  return libs.map((lib) => {
    const allowed = LIBRARY_EDGES[lib];
    const names = ALLOWED_NAMES[lib] ?? {};
    const forbidden = libs.filter((other) => other !== lib && !allowed.includes(other));
    const paths = [];
    const patterns = [appsOrTests];
    const message = (other) =>
      `libs/${lib} may import only ${allowed.length ? allowed.join(', ') : 'none of our libraries'} (docs/architecture.md, "Library boundaries"), not ${other}.`;
    for (const other of forbidden) {
      paths.push({ name: `@cbec/${other}`, message: message(other) });
      patterns.push({ regex: `(^|/)${other}/src(/|$)`, message: message(other) });
    }
    for (const [other, allowImportNames] of Object.entries(names)) {
      paths.push({
        name: `@cbec/${other}`,
        allowImportNames,
        message: `libs/${lib} may import from @cbec/${other} only ${allowImportNames.join(', ')} (docs/architecture.md, "Library boundaries").`,
      });
      patterns.push({
        regex: `(^|/)${other}/src(/|$)`,
        message: `libs/${lib} imports @cbec/${other} by its alias only, and only ${allowImportNames.join(', ')}.`,
      });
    }
    return {
      files: [`libs/${lib}/**/*.ts`, `libs/${lib}/**/*.js`],
      rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
    };
  });
}

export default defineConfig(
  {
    ignores: [
      '**/dist/',
      '**/node_modules/',
      '**/coverage/',
      'data/',
      'data-*/',
      'infra/data/',
      '.kafka/',
      'infra/kafka/.jars/',
      'apps/workbench/src/lib/api/schema.d.ts',
    ],
  },
  // A disable comment that no longer disables anything fails the lint instead of lingering.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused names are errors, except `_`-prefixed ones, where the name is the point: an ignored argument
      // or loop value, or `const { a: _a, ...rest } = x`, how the code drops `a` from `rest`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // An async generator in an object literal (`{ async *[Symbol.asyncIterator]() {...} }`, how the stores
      // return their lazy reads) cannot be an arrow function, so it reaches its store through a named alias.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self', 'store'] }],
    },
  },
  // Which library may import which (docs/architecture.md, "Library boundaries"); tests/architecture/library-boundaries.spec.ts
  // proves each rule by a deliberate violation.
  ...libraryBoundaries(),
  {
    // The few plain JavaScript files (the child-process worker, the TypeScript register for `node -r`) are
    // CommonJS (package.json has no "type": "module"): `require` is how they import.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The workbench runs in the browser (its build config and scripts in Node, as ES modules).
    // The rules of hooks catch the mistakes React cannot report at run time.
    files: ['apps/workbench/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['apps/workbench/scripts/**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.ui-spec.ts'],
    languageOptions: { globals: { ...globals.jest } },
    // Specs poke at parsed JSON (`Record<string, any>` to break an input field by field) and at test doubles;
    // production code stays free of `any`.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
