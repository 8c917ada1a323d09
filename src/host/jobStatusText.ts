import type { JobHandleState } from '../core/jobHandle';

/**
 * The status bar item's words while jobs run (editor-free, tested in plain Node): how many, and
 * what they are doing, so a user sees "sending" (a paid request in flight) apart from "polling".
 */
const phaseWords: Readonly<Partial<Record<JobHandleState, string>>> = {
  preparing: 'preparing',
  sending: 'sending',
  polling: 'waiting for the provider',
  downloading: 'downloading',
};

/** Phases in the order a job goes through them. */
const order: readonly JobHandleState[] = ['preparing', 'sending', 'polling', 'downloading'];

export interface JobStatusText {
  readonly text: string;
  readonly tooltip: string;
}

/** undefined when nothing runs (the item is hidden). */
export function jobStatusText(states: readonly JobHandleState[]): JobStatusText | undefined {
  const running = states.filter((state) => phaseWords[state] !== undefined);
  if (running.length === 0) return undefined;
  const counts = order.map((phase) => [phase, running.filter((state) => state === phase).length] as const).filter(([, count]) => count > 0);
  const phases = counts.map(([phase, count]) => `${count} ${phaseWords[phase] ?? phase}`);
  const jobs = `${running.length} job${running.length === 1 ? '' : 's'}`;
  // One phase for all: "2 jobs sending"; several: "3 jobs (1 sending, 2 waiting for the provider)".
  const what = counts.length === 1 ? (phaseWords[(counts[0] as readonly [JobHandleState, number])[0]] ?? '') : `(${phases.join(', ')})`;
  return {
    text: `$(sync~spin) GPT Image: ${jobs} ${what}`,
    tooltip: `GPT Image Studio is working on ${jobs}: ${phases.join(', ')}. Click to see them (Show Jobs).`,
  };
}
