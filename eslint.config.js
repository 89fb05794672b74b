// Lint rules for the whole tree (npm run lint). Besides typescript-eslint's recommended rules, it keeps
// the layers apart (CONTRIBUTING.md): routes → services → repositories, SQL only in repositories and
// server/src/db, the web app and the server meet only in the API contract (server/src/contract), and no
// file grows past 450 lines.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const repositories = {
  group: [
    '**/db/repositories/*',
    '**/repository',
    '**/repository.js',
    '**/repository-*',
    '**/*.repository.js',
    '**/db/database*',
    'kysely',
  ],
  message: 'Routes call services; SQL lives in repositories (CONTRIBUTING.md, "Layers").',
}
const serverCode = {
  group: ['**/server/src/**', '!**/server/src/contract', '!**/server/src/contract/**'],
  message: 'The web app shares only the API contract (server/src/contract) with the server.',
}
const webCode = { group: ['**/web/src/**'], message: 'The server does not import the web app.' }
const upwards = {
  group: [
    '**/routes/**',
    '**/services/**',
    '**/routes',
    '**/routes.js',
    '**/routes-*',
    '**/service',
    '**/service.js',
    '**/service-*',
  ],
  message: 'Repositories do not call services or routes.',
}
const appCode = {
  group: ['**/db/**', '**/services/**', '**/routes/**', '**/features/**', '**/plugins/**', 'kysely', 'pg', 'node:*'],
  message: 'The contract holds schemas and types only (TypeBox); it imports nothing else of the server.',
}

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'dist/', 'data/', 'fixtures/generated/', '.ci/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'max-lines': ['error', { max: 450 }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // tests read JSON answers whose shape the assertions check
    files: ['test/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: [serverCode] }] },
  },
  {
    files: ['server/src/routes/**', 'server/src/features/*/routes*.ts', 'server/src/plugins/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [repositories, webCode] }] },
  },
  {
    files: ['server/src/db/**', 'server/src/features/*/repository*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [upwards, webCode] }] },
  },
  {
    files: ['server/src/contract/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [appCode, webCode] }] },
  },
  {
    files: [
      'server/src/services/**',
      'server/src/features/*/!(routes|repository)*.ts',
      'server/src/cli/**',
      'server/src/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [webCode] }] },
  },
)
