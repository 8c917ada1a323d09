import { isInputError, isProviderError } from '../core/errors';
import type { ProviderErrorKind } from '../core/errors';
import { isImagesNotWrittenError } from '../core/output';
import { isResultUnavailable } from '../core/resultLinks';

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
const nextStep: Readonly<Record<ProviderErrorKind, string>> = {
  auth: 'Set a new key with "GPT Image: Set API Key…".',
  permission: 'Check that the key\'s account or organization may use this model (OpenAI asks for organization verification).',
  quota: 'Top up the account or check its billing with the provider, then try again.',
  badRequest: 'Change the prompt or options and try again.',
  contentPolicy: 'Rephrase the prompt and try again; nothing was generated.',
  rateLimit: 'Wait a minute and try again.',
  server: 'The provider is having trouble; try again in a few minutes.',
  network: 'Check the network connection, the http.proxy setting and the provider\'s base URL.',
  timeout: 'Try again, or raise gptImage.requestTimeoutSeconds.',
  aborted: '',
  invalidResponse: 'The provider answered with something unexpected; the log has the details.',
  notFound: 'Check the provider\'s base URL setting (gptImage.<provider>.baseUrl).',
  taskFailed: 'Nothing was saved; you can resubmit it from "GPT Image: Show Jobs".',
  unknownOutcome:
    'It was not sent again, so that you are not charged twice: check the provider\'s dashboard, then resubmit it from "GPT Image: Show Jobs" if needed.',
};

function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' || /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** One actionable sentence (or two) for any error a job can end with. */
export function describeError(error: unknown, context: { readonly jobId?: string | undefined } = {}): ErrorText {
  if (isInputError(error)) {
    return { message: error.issues.map(sentence).join(' ') || 'The request is not valid.', actions: [], inputProblem: true };
  }
  if (isImagesNotWrittenError(error)) {
    const step = 'Once the folder can be written, choose "Move into place" for this job in "GPT Image: Show Jobs".';
    return { message: `${sentence(error.message)} ${step}`, actions: ['showJobs', 'showLog'], inputProblem: false };
  }
  if (isProviderError(error)) {
    if (error.kind === 'aborted') return { message: 'Cancelled.', actions: [], inputProblem: false };
    if (isResultUnavailable(error) && error.retryable) {
      // Still fetchable: the job is kept as downloading, and Show Jobs retries it.
      return { message: `${sentence(error.message)} "GPT Image: Show Jobs" retries the download.`, actions: ['showJobs', 'showLog'], inputProblem: false };
    }
    if (isResultUnavailable(error)) {
      // The links expired: the base URL is not the problem, only a new request can help.
      return { message: `${sentence(error.message)} Resubmit it from "GPT Image: Show Jobs" to generate it again.`, actions: ['showJobs', 'showLog'], inputProblem: false };
    }
    const parts = [sentence(error.message), nextStep[error.kind]];
    if (error.kind === 'unknownOutcome' || error.kind === 'taskFailed') {
      if (context.jobId !== undefined) parts.push(`Job ${context.jobId}.`);
      if (error.taskId !== undefined) parts.push(`Task ${error.taskId}.`);
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
  return { message: `${sentence(text)} The log has the details.`, actions: ['showLog'], inputProblem: false };
}
