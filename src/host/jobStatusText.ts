import type { JobHandleState } from '../core/jobHandle';
import { t } from './l10nText';

/**
 * The status bar item's words while jobs run (editor-free, tested in plain Node): how many, and
 * what they are doing, so a user sees "sending" (a paid request in flight) apart from "polling".
 */
const phaseWords = (): Readonly<Partial<Record<JobHandleState, string>>> => ({
  preparing: t('preparing'),
  sending: t('sending'),
  polling: t('waiting for the provider'),
  downloading: t('downloading'),
});

/** Phases in the order a job goes through them. */
const order: readonly JobHandleState[] = ['preparing', 'sending', 'polling', 'downloading'];

export interface JobStatusText {
  readonly text: string;
  readonly tooltip: string;
}

/** undefined when nothing runs (the item is hidden). */
export function jobStatusText(states: readonly JobHandleState[]): JobStatusText | undefined {
  const words = phaseWords();
  const running = states.filter((state) => words[state] !== undefined);
  if (running.length === 0) return undefined;
  const counts = order.map((phase) => [phase, running.filter((state) => state === phase).length] as const).filter(([, count]) => count > 0);
  const phases = counts.map(([phase, count]) => t('{0} {1}', count, words[phase] ?? phase));
  const jobs = running.length === 1 ? t('1 job') : t('{0} jobs', running.length);
  // One phase for all: "2 jobs sending"; several: "3 jobs (1 sending, 2 waiting for the provider)".
  const what = counts.length === 1 ? (words[(counts[0] as readonly [JobHandleState, number])[0]] ?? '') : `(${phases.join(', ')})`;
  return {
    text: t('$(sync~spin) GPT Image: {0} {1}', jobs, what),
    tooltip: t('GPT Image Studio is working on {0}: {1}. Click to see them (Show Jobs).', jobs, phases.join(', ')),
  };
}
