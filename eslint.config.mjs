import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

// Node's globals for the engine, tests and config files (a short list: `globals` is not a direct dependency).
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'Buffer',
    'console',
    'global',
    'globalThis',
    '__dirname',
    '__filename',
    'require',
    'module',
    'exports',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'URL',
    'URLSearchParams',
    'AbortController',
    'AbortSignal',
    'fetch',
    'Headers',
    'Request',
    'Response',
    'TextEncoder',
    'TextDecoder',
  ].map((name) => [name, 'readonly'])
);

// Project rules (AGENTS/brief): no double casts through unknown and no `!` to silence the compiler.
const strictTypingRules = {
  '@typescript-eslint/no-non-null-assertion': 'error',
  'no-restricted-syntax': [
    'error',
    {
      selector: "TSAsExpression > TSAsExpression[typeAnnotation.type='TSUnknownKeyword']",
      message: 'No `as unknown as`: narrow the value with a type guard instead.',
    },
  ],
};

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      '.tools/',
      'data/',
      'engine/data/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    files: [
      'engine/**/*.{ts,js,mjs,cjs}',
      'bench/**/*.{ts,js,mjs,cjs}',
      'evals/**/*.{ts,js,mjs,cjs}',
      'demo/**/*.{ts,js,mjs,cjs}',
      'tests/**/*.{ts,tsx,js,mjs}',
      'scripts/**/*.{js,mjs,cjs}',
      '*.{ts,js,mjs,cjs}',
    ],
    languageOptions: {
      globals: nodeGlobals,
    },
  },
  {
    // `import type` beside a value import from the same module is how verbatimModuleSyntax (engine/) wants it.
    rules: {
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.{ts,tsx}', 'demo/**/*.ts'],
    rules: strictTypingRules,
  },
  {
    // Plugin code runs in the user's Grafana: report through the UI, never the console.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'no-console': 'error',
    },
  },
  {
    // Test fixtures must fill Grafana's required-but-deprecated fields (DataSourceSettings.database, id, ...).
    files: ['src/**/*.test.{ts,tsx}', 'src/**/testing/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-deprecated': 'off',
    },
  },
]);
