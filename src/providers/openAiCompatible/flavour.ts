import { providerLabels } from '../../core/ids';
import type { ProviderId } from '../../core/ids';

/**
 * What differs between the two synchronous OpenAI-style back ends. Everything else (paths, body
 * shapes, response format) is shared, because Gravitex is a relay of OpenAI's Images API.
 */
export interface OpenAiCompatibleFlavour {
  readonly id: Extract<ProviderId, 'openai' | 'gravitex'>;
  /** Used in every message; never "OpenAI" for Gravitex. */
  readonly label: string;
  /** OpenAI honours background/output_format/output_compression; Gravitex's relay strips them (U-G1). */
  readonly sendsOutputOptions: boolean;
  /** Where a 403 sends the user; OpenAI's organization verification page for OpenAI. */
  readonly permissionHint: string;
}

export const openAiFlavour: OpenAiCompatibleFlavour = {
  id: 'openai',
  label: providerLabels.openai,
  sendsOutputOptions: true,
  permissionHint:
    'GPT Image models need a verified organization: verify it at https://platform.openai.com/settings/organization/general (it can take a few minutes to apply)',
};

export const gravitexFlavour: OpenAiCompatibleFlavour = {
  id: 'gravitex',
  label: providerLabels.gravitex,
  sendsOutputOptions: false,
  permissionHint: "check that the key may use this model and the account has balance in Gravitex's console",
};

/** Sent with every request so providers can tell our traffic apart; kept in step with package.json. */
export const userAgent = 'gpt-image-studio/0.1.0';
