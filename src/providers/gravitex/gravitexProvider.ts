import { createOpenAiCompatibleProvider } from '../openAiCompatible/openAiCompatibleProvider';
import { gravitexFlavour } from '../openAiCompatible/flavour';
import type { ImageProvider, ProviderContext } from '../../core/provider';

/**
 * Gravitex (docs/providers.md §4): an OpenAI-compatible relay. Same paths and shapes as OpenAI; it strips
 * background/output options for GPT image models, may prefix base64 with `data:` and sends empty
 * `url`/`revised_prompt` fields, all handled by the shared client.
 */
export function createGravitexProvider(context: ProviderContext): ImageProvider {
  return createOpenAiCompatibleProvider(context, gravitexFlavour);
}
