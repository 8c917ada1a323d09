import { createOpenAiCompatibleProvider } from '../openAiCompatible/openAiCompatibleProvider';
import { openAiFlavour } from '../openAiCompatible/flavour';
import type { ImageProvider, ProviderContext } from '../../core/provider';

/** OpenAI's own Images API (docs/providers.md §3): generations as JSON, edits as multipart, base64 results. */
export function createOpenAiProvider(context: ProviderContext): ImageProvider {
  return createOpenAiCompatibleProvider(context, openAiFlavour);
}
