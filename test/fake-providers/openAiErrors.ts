/** Error bodies and usage figures the OpenAI/Gravitex fake sends, modelled on docs/providers.md §3.5 and §4.4. */
export interface FakeErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  moderation_details?: { moderation_stage: string; categories: string[] };
}

/** OpenAI echoes a masked key in its 401 message; so do we, to prove clients never show the real one. */
function maskKey(authorization: string | undefined): string {
  const key = (authorization ?? '').replace(/^Bearer\s+/i, '');
  return key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '***';
}

export function errorBody(flavour: 'openai' | 'gravitex', status: number | 'moderation', authorization?: string): FakeErrorObject {
  if (flavour === 'gravitex') return gravitexError(status);
  switch (status) {
    case 'moderation':
      return {
        message: 'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com.',
        type: 'image_generation_user_error',
        param: null,
        code: 'moderation_blocked',
        moderation_details: { moderation_stage: 'input', categories: ['violence'] },
      };
    case 401:
      return {
        message: `Incorrect API key provided: ${maskKey(authorization)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      };
    case 403:
      return {
        message:
          'Your organization must be verified to use the model `gpt-image-2`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization.',
        type: 'invalid_request_error',
        param: null,
        code: null,
      };
    case 429:
      return {
        message: 'Rate limit reached for gpt-image-2 in organization org-fake on images per minute (IPM): Limit 5, Used 5, Requested 1.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      };
    case 400:
      return { message: "Invalid value for 'size'.", type: 'invalid_request_error', param: 'size', code: 'invalid_value' };
    default:
      return status >= 500
        ? { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null }
        : { message: `Error ${status}.`, type: 'invalid_request_error', param: null, code: null };
  }
}

/** Gravitex's relay (new-api) codes: types/error.go. */
function gravitexError(status: number | 'moderation'): FakeErrorObject {
  switch (status) {
    case 'moderation':
      return { message: 'sensitive words detected: weapon', type: 'new_api_error', param: '', code: 'sensitive_words_detected' };
    case 401:
      return { message: 'Invalid token', type: 'new_api_error', param: '', code: '' };
    case 403:
      return { message: 'user quota is not enough', type: 'new_api_error', param: '', code: 'insufficient_user_quota' };
    case 429:
      return { message: 'Too many requests, please slow down', type: 'new_api_error', param: '', code: 'rate_limit_exceeded' };
    default:
      return status >= 500
        ? { message: `bad response status code ${status}`, type: 'upstream_error', param: '', code: 'bad_response_status_code' }
        : { message: 'invalid request', type: 'new_api_error', param: '', code: 'invalid_request' };
  }
}

const outputTokensAt1024: Readonly<Record<string, number>> = { low: 272, medium: 1056, high: 4160, auto: 1056 };

export function generationUsage(call: { prompt: string; n: number; size: string; quality: string | undefined; imageCount: number }): Record<string, unknown> {
  const [width, height] = (call.size === 'auto' ? '1024x1024' : call.size).split('x').map(Number) as [number, number];
  const text = Math.max(1, Math.ceil(call.prompt.length / 4));
  const image = call.imageCount * 323;
  const output = Math.round((outputTokensAt1024[call.quality ?? 'auto'] ?? 1056) * ((width * height) / (1024 * 1024))) * call.n;
  return {
    input_tokens: text + image,
    output_tokens: output,
    total_tokens: text + image + output,
    input_tokens_details: { text_tokens: text, image_tokens: image },
    output_tokens_details: { image_tokens: output },
  };
}
