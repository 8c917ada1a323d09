import type { ResolutionTier } from '../core/ids';
import { tierForLongEdge } from '../core/size';
import type { WireSize } from '../core/size';
import type { PollSchedule } from '../core/provider';

const second = 1000;
const minute = 60 * second;

/** The resolution tier a wire size falls into, for schedules that scale with the work. */
export function tierOfSize(size: WireSize): ResolutionTier {
  if (size.kind === 'aspectTier') return size.tier;
  if (size.value === 'auto') return '1k';
  const [width, height] = size.value.split('x').map(Number);
  return tierForLongEdge(Math.max(width ?? 0, height ?? 0));
}

/**
 * Modellix documents no interval for GPT models (docs/providers.md §5.6): its CLI polls every 2 s, its
 * own gpt-image-2 end-to-end test every 5 s with a 15 min deadline. We wait 5 s, then poll every
 * 3 s; larger images take longer, so 2k and 4k poll less often and start later. The 100 req/min
 * per key limit allows this for a handful of parallel tasks.
 */
export function modellixPollSchedule(size: WireSize): PollSchedule {
  const tier = tierOfSize(size);
  const deadlineMs = 15 * minute;
  if (tier === '4k') return { firstPollMs: 10 * second, intervalMs: 5 * second, deadlineMs };
  if (tier === '2k') return { firstPollMs: 8 * second, intervalMs: 4 * second, deadlineMs };
  return { firstPollMs: 5 * second, intervalMs: 3 * second, deadlineMs };
}

/** APIXO's own table (docs/providers.md §6.5): first poll 30/60/120 s by tier, then every 10 s; 5 min, 6 min for 4k. */
export function apixoPollSchedule(size: WireSize): PollSchedule {
  const tier = tierOfSize(size);
  const firstPollMs = { '1k': 30 * second, '2k': 60 * second, '4k': 120 * second }[tier];
  return { firstPollMs, intervalMs: 10 * second, deadlineMs: tier === '4k' ? 6 * minute : 5 * minute };
}
