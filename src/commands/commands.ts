/**
 * Every command the extension contributes, in one table (after rust-analyzer's createCommands).
 * The handlers live in the lazily loaded engine bundle; a unit test checks this table against
 * package.json's `contributes.commands`.
 */
export const commandIds = [
  'gptImage.generate',
  'gptImage.openStudio',
  'gptImage.editImage',
  'gptImage.editInStudio',
  'gptImage.showJobs',
  'gptImage.setApiKey',
  'gptImage.clearApiKey',
  'gptImage.showLog',
  'gptImage.runBatch',
  'gptImage.generateHere',
  'gptImage.generateFromSelection',
  'gptImage.copyAsMarkdown',
  'gptImage.checkSetup',
  'gptImage.getStarted',
  'gptImage.showAgentsGuide',
] as const;

export type CommandId = (typeof commandIds)[number];

/**
 * Commands registered by extension.ts for the extension's own use, not contributed (not in the
 * palette): the engine tells the activation bundle that a batch run changed its files.
 */
export const internalCommandIds = ['gptImage.refreshBatchLenses'] as const;

/** Each command's title as package.json gives it (checked there), for the one failure message. */
export const commandTitles: Readonly<Record<CommandId, string>> = {
  'gptImage.generate': 'Generate Image…',
  'gptImage.openStudio': 'Open Studio',
  'gptImage.editImage': 'Edit Image…',
  'gptImage.editInStudio': 'Edit in Studio…',
  'gptImage.showJobs': 'Show Jobs',
  'gptImage.setApiKey': 'Set API Key…',
  'gptImage.clearApiKey': 'Clear API Key…',
  'gptImage.showLog': 'Show Log',
  'gptImage.runBatch': 'Run Image Batch',
  'gptImage.generateHere': 'Generate Image Here…',
  'gptImage.generateFromSelection': 'Generate Image from Selection',
  'gptImage.copyAsMarkdown': 'Copy as Markdown',
  'gptImage.checkSetup': 'Check Setup',
  'gptImage.getStarted': 'Get Started',
  'gptImage.showAgentsGuide': 'Show Agents Guide',
};
