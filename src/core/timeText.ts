/** How long something took or how long ago it was, the same in the editor and the terminal. */

/** `0:07`, `2:41`, `1:02:03`: the elapsed time a progress line shows. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * `just now`, `5 min ago`, `3 h ago`, `2 days ago`; `compact` for a terminal column: `5m ago`,
 * `3h ago`, `2d ago`.
 */
export function formatAge(ms: number, style: 'words' | 'compact' = 'words'): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const compact = style === 'compact';
  if (minutes < 1) return 'just now';
  if (minutes < 60) return compact ? `${minutes}m ago` : `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return compact ? `${hours}h ago` : `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return compact ? `${days}d ago` : `${days} days ago`;
}
