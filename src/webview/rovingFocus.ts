/**
 * Keyboard movement inside a toolbar that is a single tab stop (the WAI-ARIA toolbar pattern) and
 * between images in the large preview. Pure: the page applies the index it returns.
 */

/** The index focus moves to for `key` in a row of `count` items, or undefined when the key is not a move. */
export function rovingIndex(key: string, current: number, count: number): number | undefined {
  if (count <= 0) return undefined;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
