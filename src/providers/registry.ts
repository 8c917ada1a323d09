import type { ProviderId } from '../core/ids';
import { createApixoProvider } from './apixo/apixoProvider';
import { createGravitexProvider } from './gravitex/gravitexProvider';
import { createModellixProvider } from './modellix/modellixProvider';
import { createOpenAiProvider } from './openai/openAiProvider';
import { scrubbingProvider } from './scrubbingProvider';
import type { ImageProvider, ProviderContext } from '../core/provider';

/**
 * The one place that maps a provider id to its client; hosts build the context (key, base URL, http).
 * Every client comes wrapped so that nothing it reports carries the key (scrubbingProvider).
 */
export function createProvider(id: ProviderId, context: ProviderContext): ImageProvider {
  return scrubbingProvider(createClient(id, context), () => context.getApiKey());
}

function createClient(id: ProviderId, context: ProviderContext): ImageProvider {
  switch (id) {
    case 'openai':
      return createOpenAiProvider(context);
    case 'gravitex':
      return createGravitexProvider(context);
    case 'modellix':
      return createModellixProvider(context);
    case 'apixo':
      return createApixoProvider(context);
  }
}
