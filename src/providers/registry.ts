import type { ProviderId } from '../core/ids';
import { createApixoProvider } from './apixo/apixoProvider';
import { createGravitexProvider } from './gravitex/gravitexProvider';
import { createModellixProvider } from './modellix/modellixProvider';
import { createOpenAiProvider } from './openai/openAiProvider';
import type { ImageProvider, ProviderContext } from './types';

/** The one place that maps a provider id to its client; hosts build the context (key, base URL, http). */
export function createProvider(id: ProviderId, context: ProviderContext): ImageProvider {
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
