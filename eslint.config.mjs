// Lint rules, checked by `npm test` (npm run lint). Besides the usual TypeScript, React-hooks
// and accessibility rules, the import boundaries keep each process to what it may use:
// no Electron in the domain, no Node in the renderer, a zod-free preload. src/main/lint.test.ts
// proves they fail on a planted violation.
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events'];

/** `no-restricted-imports` with a reason each: the message names the boundary. */
const restrict = (...groups) => ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      '.cache/**',
      'test-results/**',
      'playwright-report/**',
      'docs/**',
      'resources/**',
      '.tmp/**',
      'dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Browser code the benchmark loads into the preview's page.
  { files: ['bench/*-probe.js'], languageOptions: { sourceType: 'script', globals: { ...globals.browser } } },
  // Command-line programs talk on the console.
  { files: ['src/emulator/cli.ts', 'scripts/**', 'bench/**', 'e2e/**', 'test/**'], rules: { 'no-console': 'off' } },

  // The domain: plain Node, never Electron (only the glue may import it).
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/index.ts'],
    rules: {
      'no-restricted-imports': restrict([
        ['electron', 'electron/*'],
        'The domain runs without Electron: put Electron calls in src/main/electron and pass them in as a port.',
      ]),
    },
  },
  // The emulator is part of the product but not of the domain: it stands alone.
  {
    files: ['src/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [['electron', 'electron/*'], 'The emulator runs without Electron.'],
        [['**/main/**', '**/renderer/**', '**/preload/**', '**/preview/**'], 'The emulator stands alone: it may not import the app.'],
      ),
    },
  },
  // The contract is imported by every process: no Node, no Electron, no process code.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          [...nodeBuiltins, 'electron', 'electron/*', 'keytar', 'better-sqlite3'],
          'src/shared is loaded by the renderer and preload too: keep it free of Node and Electron.',
        ],
        [['**/main/**', '**/renderer/**', '**/preload/**', '**/preview/**', '**/emulator/**'], 'src/shared may not depend on a process.'],
      ),
    },
  },
  // akr never reads the keychain or SQLite itself (issue 15): it reaches them only through the
  // running app's socket, so it may import the broker's wire code and nothing else of the app.
  {
    files: ['src/cli/**/*.ts'],
    ignores: ['src/cli/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*', 'keytar', 'better-sqlite3'],
              message: 'akr reaches the keychain and database only through the running app, over its socket.',
            },
            {
              regex:
                '(^|/)main/(?!(broker/(frames|identity|peer|socket-path)|oauth/dynamic-variables-format|elevenlabs/api-host/compile-cache)$)',
              message:
                'akr reaches the keychain and database only through the running app: import the broker wire code (src/main/broker) and shared schemas only.',
            },
          ],
        },
      ],
    },
  },
  // The sandboxed preload: electron and the zod-free parts of the contract only.
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        ['zod', '**/shared/contract', '**/shared/schemas/*', '**/main/**', '**/renderer/**', ...nodeBuiltins],
        'The sandboxed preload may use only electron, shared/api and shared/channel-names.',
      ]),
    },
  },
  // The renderer: a web page. It reaches main only through window.keyring.
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/preview/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      'no-restricted-imports': restrict(
        [
          [...nodeBuiltins, 'electron', 'electron/*', 'keytar', 'better-sqlite3', 'ws'],
          'The renderer is a sandboxed web page: no Node, no Electron, no native modules.',
        ],
        [
          ['**/main/**', '**/preload/**', '**/preview/**', '**/emulator/**'],
          'The renderer reaches main only through window.keyring (src/shared/api.ts).',
        ],
      ),
    },
  },
  // Events reach the renderer only through the validated event bus (src/main/events), never a raw send.
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/ipc-main.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='send'][callee.object.property.name='webContents']",
          message: 'Send events through domain.events (checked against the contract), not webContents.send.',
        },
      ],
    },
  },
  // Tests may use what they need.
  {
    files: ['**/*.test.ts', 'test/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
