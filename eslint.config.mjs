// ESLint for the monorepo (STYLE: "TypeScript strict everywhere, ESLint + Prettier"). `npm run lint` lints
// apps, libs and tests. Syntax-only presets on purpose: tsc --noEmit (strict) already checks the types, and
// the type-checked presets would make lint cost as much as a second type check.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

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
  {
    // Libraries depend on nothing above them (docs/architecture.md): no library file, spec or fixture
    // imports an application or the repository's tests. A spec that starts an app lives in tests/int/.
    files: ['libs/**/*.ts', 'libs/**/*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(apps|tests)/',
              message: 'A library must not import an application or the repository tests; move a spec that starts an app to tests/int/.',
            },
          ],
        },
      ],
    },
  },
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
