import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'This layer must stay editor-free (see docs/architecture.md, "Layers"): inject what you need.' }],
    },
  ],
};

/**
 * Modules outside core/, providers/ and cli/ that need no editor: the same rule keeps `vscode` out of
 * them, so they stay testable in plain Node. scripts/checkImports.mjs fails when one is missing here.
 */
export const pureModules = [
  'src/host/batchApiWindow.ts',
  'src/host/batchJobList.ts',
  'src/host/windowHttp.ts',
  'src/commands/commandTitleText.ts',
  'src/commands/commands.ts',
  'src/commands/generate.ts',
  'src/commands/handlers.ts',
  'src/commands/showLog.ts',
  'src/host/errorText.ts',
  'src/host/generateChoices.ts',
  'src/host/history.ts',
  'src/host/inputSourcePath.ts',
  'src/host/mcpEnvironment.ts',
  'src/host/jobList.ts',
  'src/host/l10nText.ts',
  'src/host/jobStatusText.ts',
  'src/host/outputFolderRules.ts',
  'src/host/progressText.ts',
  'src/host/selectionInsert.ts',
  'src/host/settingsRules.ts',
  'src/webview/comparePlan.ts',
  'src/webview/galleryGroups.ts',
  'src/host/sidecarPrompt.ts',
  'src/host/setupReport.ts',
  'src/webview/formModel.ts',
  'src/webview/html.ts',
  'src/webview/insertImage.ts',
  'src/webview/jobList.ts',
  'src/webview/l10nText.ts',
  'src/webview/previewModel.ts',
  'src/webview/maskEdit.ts',
  'src/webview/maskMessages.ts',
  'src/webview/maskProtocol.ts',
  'src/webview/maskText.ts',
  'src/webview/protocol.ts',
  'src/webview/rovingFocus.ts',
  'src/webview/scrubMessage.ts',
  'src/webview/studioViewType.ts',
  'src/webview/uriPath.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'bench/cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/core/**', 'src/providers/**', 'src/cli/**', 'src/webview/app/**', ...pureModules],
    rules: noVscode,
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' } },
  },
);
