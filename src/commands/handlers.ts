import { localizedCommandTitles } from './commandTitleText';
import type { CommandId } from './commands';
import { showError } from '../host/messages';
import type { Services } from '../host/services';
import { createCheckSetupCommand } from './checkSetup';
import { createClearApiKeyCommand } from './clearApiKey';
import { createCopyAsMarkdownCommand } from './copyAsMarkdown';
import { createEditImageCommand } from './editImage';
import { createEditInStudioCommand } from './editInStudio';
import { createGenerateCommand } from './generate';
import { createGenerateFromSelectionCommand } from './generateFromSelection';
import { createGenerateHereCommand } from './generateHere';
import { createGetStartedCommand, createShowAgentsGuideCommand } from './getStarted';
import { openStudio } from './openStudio';
import { studioServicesFor } from '../webview/studioHost';
import { createSetApiKeyCommand } from './setApiKey';
import { createShowJobsCommand } from './showJobs';
import { createShowLogCommand } from './showLog';
import { createRunBatchCommand } from './runBatch';

/** Builds one command's handler once the services exist (after rust-analyzer's createCommands). */
export type CommandFactory = (services: Services) => (...args: unknown[]) => Promise<unknown>;

/**
 * The handler for every id in commands.ts. Typed as a full Record so a command added to the table
 * without a handler (or the reverse) does not compile; the ids themselves are checked against
 * package.json by a unit test.
 */
export const commandFactories: Readonly<Record<CommandId, CommandFactory>> = guardAll({
  'gptImage.generate': createGenerateCommand,
  'gptImage.openStudio': (services) => openStudio(studioServicesFor(services)),
  'gptImage.editImage': createEditImageCommand,
  'gptImage.editInStudio': createEditInStudioCommand,
  'gptImage.showJobs': createShowJobsCommand,
  'gptImage.setApiKey': createSetApiKeyCommand,
  'gptImage.clearApiKey': createClearApiKeyCommand,
  'gptImage.showLog': createShowLogCommand,
  'gptImage.runBatch': createRunBatchCommand,
  'gptImage.generateHere': createGenerateHereCommand,
  'gptImage.generateFromSelection': createGenerateFromSelectionCommand,
  'gptImage.copyAsMarkdown': createCopyAsMarkdownCommand,
  'gptImage.checkSetup': createCheckSetupCommand,
  'gptImage.getStarted': createGetStartedCommand,
  'gptImage.showAgentsGuide': createShowAgentsGuideCommand,
});

/**
 * Every command's failure goes through the one showError (the sentence for its kind, Show Log, the
 * full error in the log): a keyring that refuses Set API Key is reported like a provider error, and
 * "could not start" is left to what it means, the engine failing to load (extension.ts).
 */
export function guarded(id: CommandId, factory: CommandFactory): CommandFactory {
  return (services) => {
    const handler = factory(services);
    return async (...args) => {
      try {
        return await handler(...args);
      } catch (error) {
        await showError(services, error, { title: localizedCommandTitles()[id].replace(/…$/, '') });
        return undefined;
      }
    };
  };
}

function guardAll(factories: Readonly<Record<CommandId, CommandFactory>>): Readonly<Record<CommandId, CommandFactory>> {
  return Object.fromEntries(Object.entries(factories).map(([id, factory]) => [id, guarded(id as CommandId, factory)])) as Record<CommandId, CommandFactory>;
}
