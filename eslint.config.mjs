// ESLint with typescript-eslint's type-checked rules over the extension and its tests, plus the layering
// rule: modules outside the list below are pure (they run under plain mocha), so they may import `vscode`
// for types only. Prettier owns the formatting (.prettierrc.json); `npm test` runs both before the suites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The modules that talk to VS Code itself; every other module under src/ is pure. */
const VSCODE_FACING = [
  'src/extension.ts',
  'src/main.ts',
  'src/settings.ts',
  'src/commands/**',
  'src/files/errors.ts',
  'src/files/fileSystem.ts',
  'src/files/instanceFiles.ts',
  'src/files/largeSave.ts',
  'src/files/register.ts',
  'src/files/trees.ts',
  'src/files/watcher.ts',
  'src/kernels/kernels.ts',
  'src/kernels/register.ts',
  'src/notebooks/chooseInstance.ts',
  'src/aws/mfaPrompt.ts',
  // src/manage: the wizard, actions, views, file system and documents; rules, scriptChecks, startupLogText
  // and manageApi stay pure.
  'src/manage/context.ts',
  'src/manage/createWizard.ts',
  'src/manage/index.ts',
  'src/manage/instanceActions.ts',
  'src/manage/lifecycleFs.ts',
  'src/manage/lifecycleTree.ts',
  'src/manage/prompter.ts',
  'src/manage/startupLog.ts',
  'src/notebooks/instancesTree.ts',
  'src/notebooks/viewHeader.ts',
  'src/open/editorPanel.ts',
  'src/open/heldSessions.ts',
  'src/open/integratedBrowser.ts',
  'src/open/opener.ts',
  'src/session/sessionTimer.ts',
  'src/shared/ui.ts',
  'src/terminal/terminals.ts',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-vsix/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      '.test-artifacts/**',
      '.bench/**',
      'test/jupyterlab/**',
      'scripts/**',
      '**/*.mjs',
      '**/*.cjs',
      '**/*.js',
    ],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Handlers and SDK shapes are typed at their boundary; `any` stays only where VS Code's own API uses it.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-require-imports': 'off', // `import x = require()` is how the bundles stay CommonJS
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A promise nobody awaits must say so with `void`: an unhandled rejection in the extension host is lost.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // Implementations of Promise-returning interfaces (the UI facade, fakes in tests) need no await.
      '@typescript-eslint/require-await': 'off',
      // Terminal and traceback output is ANSI: tests match its escape sequences on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: VSCODE_FACING,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'A pure module: import vscode for types only (import type), or add the file to VSCODE_FACING.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
