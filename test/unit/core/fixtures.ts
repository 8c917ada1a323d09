import assert from 'node:assert/strict';
import { capabilityFor } from '../../../src/core/capabilities';
import type { ModelCapability } from '../../../src/core/capabilities';
import { isProviderError } from '../../../src/core/errors';
import type { ProviderError } from '../../../src/core/errors';
import type { ModelId, ProviderId } from '../../../src/core/ids';
import type { JobRecord, JournalRequest } from '../../../src/core/journal';

/** The capability table's row for a provider and model, which the test expects to exist. */
export function capabilityRow(provider: ProviderId, model: ModelId = 'gpt-image-2'): ModelCapability {
  const row = capabilityFor(provider, model);
  assert.ok(row, `no capability row for ${provider} × ${model}`);
  return row;
}

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

/**
 * What a process killed while sending a paid request leaves in the journal: one task still
 * 'submitting', last written at `updatedAt`. Tests override the provider, base URL and the like.
 */
export function submittingJob(id: string, updatedAt: number, overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    version: 1,
    id,
    createdAt: updatedAt,
    updatedAt,
    state: 'submitting',
    provider: 'openai',
    model: 'gpt-image-2',
    request: journalRequest(),
    output: { dir: '/tmp/unused', template: '{date}-{slug}-{index}' },
    tasks: [{ state: 'submitting', n: 1, files: [] }],
    uploads: [],
    warnings: [],
    ...overrides,
  };
}

/** The ProviderError a promise rejects with (the test fails if it resolves or throws anything else). */
export async function providerFailure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isProviderError(error), String(error));
    return error;
  }
  assert.fail('expected a ProviderError');
}
