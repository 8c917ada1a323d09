import type { Services } from '../host/services';

/** `GPT Image: Show Log` — the LogOutputChannel with every request, status and error (keys redacted). */
export function createShowLogCommand(services: Services): () => Promise<void> {
  return async () => services.channel.show(true);
}
