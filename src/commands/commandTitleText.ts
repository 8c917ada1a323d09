import { t } from '../host/l10nText';
import type { CommandId } from './commands';

/**
 * Each command's title in the display language, for the failure message's prefix ("Generate Image:
 * …"). commands.ts keeps the English table checked against package.json; the palette's own
 * translations are package.nls.*.json. A function: the bundle is loaded after this module.
 */
export const localizedCommandTitles = (): Readonly<Record<CommandId, string>> => ({
  'gptImage.generate': t('Generate Image…'),
  'gptImage.openStudio': t('Open Studio'),
  'gptImage.editImage': t('Edit Image…'),
  'gptImage.editInStudio': t('Edit in Studio…'),
  'gptImage.showJobs': t('Show Jobs'),
  'gptImage.setApiKey': t('Set API Key…'),
  'gptImage.clearApiKey': t('Clear API Key…'),
  'gptImage.showLog': t('Show Log'),
  'gptImage.runBatch': t('Run Image Batch'),
  'gptImage.generateHere': t('Generate Image Here…'),
  'gptImage.generateFromSelection': t('Generate Image from Selection'),
  'gptImage.copyAsMarkdown': t('Copy as Markdown'),
  'gptImage.checkSetup': t('Check Setup'),
  'gptImage.getStarted': t('Get Started'),
  'gptImage.showAgentsGuide': t('Show Agents Guide'),
});
