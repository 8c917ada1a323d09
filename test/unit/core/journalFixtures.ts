import type { JournalRequest } from '../../../src/core/journal';

/**
 * A journaled request for fixtures: a plain 1024x1024 text-to-image request with every optional
 * option unset. Tests override only what they are about, so a field added to JournalRequest is
 * filled in here once.
 */
export function journalRequest(overrides: Partial<JournalRequest> = {}): JournalRequest {
  return {
    prompt: 'a lighthouse',
    size: '1024x1024',
    wireSize: { kind: 'wxh', value: '1024x1024' },
    quality: 'auto',
    n: 1,
    background: undefined,
    outputFormat: undefined,
    outputCompression: undefined,
    inputImages: [],
    mask: undefined,
    ...overrides,
  };
}
