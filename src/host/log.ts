import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { SecretScrubber } from '../core/secrets';

/** The providers' Logger over the LogOutputChannel; every line passes the secret scrubber first. */
export function createChannelLogger(channel: vscode.LogOutputChannel, scrubber: SecretScrubber): Logger {
  return {
    trace: (message) => channel.trace(scrubber.scrub(message)),
    debug: (message) => channel.debug(scrubber.scrub(message)),
    info: (message) => channel.info(scrubber.scrub(message)),
    warn: (message) => channel.warn(scrubber.scrub(message)),
    error: (message) => channel.error(scrubber.scrub(message)),
  };
}
