import type { CommandId } from './commands';
import type { Services } from '../host/services';
import { createClearApiKeyCommand } from './clearApiKey';
import { createEditImageCommand } from './editImage';
import { createGenerateCommand } from './generate';
import { openStudio } from './openStudio';
import { studioServicesFor } from '../webview/studioHost';
import { createSetApiKeyCommand } from './setApiKey';
import { createShowJobsCommand } from './showJobs';
import { createShowLogCommand } from './showLog';

/** Builds one command's handler once the services exist (after rust-analyzer's createCommands). */
export type CommandFactory = (services: Services) => (...args: unknown[]) => Promise<unknown>;

/**
 * The handler for every id in commands.ts. Typed as a full Record so a command added to the table
 * without a handler (or the reverse) does not compile; the ids themselves are checked against
 * package.json by a unit test.
 */
export const commandFactories: Readonly<Record<CommandId, CommandFactory>> = {
  'gptImage.generate': createGenerateCommand,
  'gptImage.openStudio': (services) => openStudio(studioServicesFor(services)),
  'gptImage.editImage': createEditImageCommand,
  'gptImage.showJobs': createShowJobsCommand,
  'gptImage.setApiKey': createSetApiKeyCommand,
  'gptImage.clearApiKey': createClearApiKeyCommand,
  'gptImage.showLog': createShowLogCommand,
};
