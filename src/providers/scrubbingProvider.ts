import type { ProviderError} from '../core/errors';
import { isProviderError, withContext } from '../core/errors';
import { scrubSecret } from '../core/secrets';
import type { ProviderId } from '../core/ids';
import type { ImageProvider, PollOutcome } from '../core/provider';

/**
 * The provider layer's promise that no string a provider sent back carries the key on to the
 * journal, a sidecar, a log, stderr or the webview: every error a provider throws or reports (a
 * failed task), every warning and every status word passes scrubSecret with the key the provider
 * reads. The clients already scrub what they parse (readJsonReply, mapErrorResponse); this is the one
 * place that also covers what they quote from elsewhere (an error inside a 200 answer, a parameter
 * name, a redirect's Location), whatever a provider adds later. It is also where every
 * ProviderError learns which provider it came from (`provider`, always the id): the helpers below
 * it (http, envelopes) only know the label they put in their sentences.
 */
export function scrubbingProvider(provider: ImageProvider, getApiKey: () => Promise<string>): ImageProvider {
  const key = (): Promise<string | undefined> => getApiKey().catch(() => undefined);
  const guarded = async <T>(work: () => Promise<T>, clean: (value: T, secret: string) => T): Promise<T> => {
    let value: T;
    try {
      value = await work();
    } catch (error) {
      throw stamped(scrubError(error, await key()), provider.id);
    }
    const secret = await key();
    return secret === undefined ? value : clean(value, secret);
  };
  const stampedPoll = (outcome: PollOutcome): PollOutcome =>
    outcome.state === 'failed' ? { state: 'failed', error: stamped(outcome.error, provider.id) as ProviderError } : outcome;
  const scrubbed: ImageProvider = {
    ...provider,
    submit: (request, signal, hooks) =>
      guarded(
        () => provider.submit(request, signal, hooks),
        (outcome, secret) => ({ ...outcome, warnings: outcome.warnings.map((warning) => scrubSecret(warning, secret)) }),
      ),
  };
  const { poll, prepareInputs, deleteUploads } = provider;
  if (poll) scrubbed.poll = (task, signal) => guarded(() => poll.call(provider, task, signal).then(stampedPoll), scrubPollOutcome);
  if (prepareInputs) scrubbed.prepareInputs = (request, signal) => guarded(() => prepareInputs.call(provider, request, signal), (inputs) => inputs);
  if (deleteUploads) scrubbed.deleteUploads = (uploads, signal) => guarded(() => deleteUploads.call(provider, uploads, signal), () => undefined);
  return scrubbed;
}

function scrubPollOutcome(outcome: PollOutcome, secret: string): PollOutcome {
  if (outcome.state === 'failed') return { state: 'failed', error: scrubError(outcome.error, secret) as ProviderError };
  if (outcome.state === 'running' && outcome.providerState !== undefined) return { state: 'running', providerState: scrubSecret(outcome.providerState, secret) };
  return outcome;
}

/** A ProviderError that does not say which provider it came from yet, now saying it. */
function stamped(error: unknown, id: ProviderId): unknown {
  return isProviderError(error) && error.provider === undefined ? withContext(error, { provider: id }) : error;
}

/** The same error with the key taken out of its message and code; untouched when neither holds it. */
function scrubError(error: unknown, secret: string | undefined): unknown {
  if (!(error instanceof Error) || secret === undefined) return error;
  const message = scrubSecret(error.message, secret);
  if (!isProviderError(error)) return message === error.message ? error : new Error(message);
  const code = error.code === undefined ? undefined : scrubSecret(error.code, secret);
  if (message === error.message && code === error.code) return error;
  // Not the original error as cause either: withContext keeps its cause, whose message never held our scrub.
  return withContext(error, { message, code });
}
