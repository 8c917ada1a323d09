import { isInputError, isProviderError } from '../core/errors';
import type { ProviderErrorKind } from '../core/errors';
import { isImagesNotWrittenError } from '../core/output';
import { isResultUnavailable } from '../core/resultLinks';
import { t } from './l10nText';

/** Buttons a failure message may offer; host/messages.ts turns them into commands. */
export type ErrorAction = 'showLog' | 'setApiKey' | 'showJobs';

export interface ErrorText {
  readonly message: string;
  readonly actions: readonly ErrorAction[];
  /** True when nothing was sent (bad input): the message is about the request, not the provider. */
  readonly inputProblem: boolean;
}

/**
 * What to do next, per kind. Providers already make `error.message` say what happened in their
 * words; this adds the one step the user can take. User-facing failure text lives here and only here.
 */
const nextStep = (): Readonly<Record<ProviderErrorKind, string>> => ({
  auth: t('Set a new key with "GPT Image: Set API Key…".'),
  permission: t('Check that the key\'s account or organization may use this model (OpenAI asks for organization verification).'),
  quota: t('Top up the account or check its billing with the provider, then try again.'),
  badRequest: t('Change the prompt or options and try again.'),
  contentPolicy: t('Rephrase the prompt and try again; nothing was generated.'),
  rateLimit: t('Wait a minute and try again.'),
  server: t('The provider is having trouble; try again in a few minutes.'),
  network: t('Check the network connection, the http.proxy setting and the provider\'s base URL.'),
  timeout: t('Try again, or raise gptImage.requestTimeoutSeconds.'),
  aborted: '',
  invalidResponse: t('The provider answered with something unexpected; the log has the details.'),
  notFound: t('Check the provider\'s base URL setting (gptImage.<provider>.baseUrl).'),
  taskFailed: t('Nothing was saved; you can resubmit it from "GPT Image: Show Jobs".'),
  unknownOutcome:
    t('It was not sent again, so that you are not charged twice: check the provider\'s dashboard, then resubmit it from "GPT Image: Show Jobs" if needed.'),
});

function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' || /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** One actionable sentence (or two) for any error a job can end with. */
export function describeError(error: unknown, context: { readonly jobId?: string | undefined } = {}): ErrorText {
  if (isInputError(error)) {
    return { message: error.issues.map(sentence).join(' ') || t('The request is not valid.'), actions: [], inputProblem: true };
  }
  if (isImagesNotWrittenError(error)) {
    const step = t('Once the folder can be written, choose "Move into place" for this job in "GPT Image: Show Jobs".');
    return { message: `${sentence(error.message)} ${step}`, actions: ['showJobs', 'showLog'], inputProblem: false };
  }
  if (isProviderError(error)) {
    if (error.kind === 'aborted') return { message: t('Cancelled.'), actions: [], inputProblem: false };
    if (isResultUnavailable(error) && error.retryable) {
      // Still fetchable: the job is kept as downloading, and Show Jobs retries it.
      return { message: t('{0} "GPT Image: Show Jobs" retries the download.', sentence(error.message)), actions: ['showJobs', 'showLog'], inputProblem: false };
    }
    if (isResultUnavailable(error)) {
      // The links expired: the base URL is not the problem, only a new request can help.
      return { message: t('{0} Resubmit it from "GPT Image: Show Jobs" to generate it again.', sentence(error.message)), actions: ['showJobs', 'showLog'], inputProblem: false };
    }
    const parts = [sentence(error.message), nextStep()[error.kind]];
    if (error.kind === 'unknownOutcome' || error.kind === 'taskFailed') {
      if (context.jobId !== undefined) parts.push(t('Job {0}.', context.jobId));
      if (error.taskId !== undefined) parts.push(t('Task {0}.', error.taskId));
    }
    const actions: ErrorAction[] =
      error.kind === 'auth'
        ? ['setApiKey', 'showLog']
        : error.kind === 'unknownOutcome' || error.kind === 'taskFailed'
          ? ['showJobs', 'showLog']
          : ['showLog'];
    return { message: parts.filter((part) => part !== '').join(' '), actions, inputProblem: false };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { message: t('{0} The log has the details.', sentence(text)), actions: ['showLog'], inputProblem: false };
}
