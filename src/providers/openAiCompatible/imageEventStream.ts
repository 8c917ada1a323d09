import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { z } from 'zod';
import { ProviderError } from '../../core/errors';
import type { PartialImage } from '../../core/provider';
import { imagesResponseSchema } from './responseSchema';
import type { ImagesResponse } from './responseSchema';

/**
 * Reads OpenAI's image stream (`text/event-stream`, docs/providers.md §7.1): `*.partial_image`
 * events, then `*.completed` with the final image and usage, or an `error` event. Only one event is
 * held at a time: a partial's base64 is handed on as a lazy `bytes()` and dropped with the event,
 * a completed image is decoded at once and its text dropped.
 */
export interface StreamedImages {
  readonly images: Buffer[];
  readonly usage: ImagesResponse['usage'];
  /** How many partial images arrived before the end. */
  readonly partials: number;
}

export interface ImageEventHandlers {
  readonly provider: string;
  readonly onPartialImage?: ((partial: PartialImage) => void) | undefined;
  /** An `error` event: the caller maps the error object like the matching HTTP error. */
  readonly errorFor: (errorBody: string) => ProviderError;
  /** The stream ended (cleanly) without a completed image: it was probably made and charged. */
  readonly truncated: (partials: number) => ProviderError;
}

/** One event's data is at most one whole image (4K PNG ≈ 20 MB of base64) plus metadata. */
const maxEventChars = 128 * 1024 * 1024;

const eventSchema = z.looseObject({
  type: z.string().nullish(),
  b64_json: z.string().nullish(),
  partial_image_index: z.number().int().nonnegative().nullish(),
  usage: imagesResponseSchema.shape.usage,
  error: z.unknown().optional(),
});

export async function readImageEventStream(body: AsyncIterable<Uint8Array>, handlers: ImageEventHandlers): Promise<StreamedImages> {
  const images: Buffer[] = [];
  let usage: ImagesResponse['usage'];
  let partials = 0;
  let failure: ProviderError | undefined;
  const invalid = (problem: string): ProviderError =>
    new ProviderError({ kind: 'invalidResponse', message: `${handlers.provider}'s image stream ${problem}.` });

  const onEvent = (message: EventSourceMessage): void => {
    if (failure) return;
    if (message.data === '[DONE]') return;
    let json: unknown;
    try {
      json = JSON.parse(message.data);
    } catch {
      failure = invalid('sent an event that is not JSON');
      return;
    }
    const parsed = eventSchema.safeParse(json);
    const type = message.event ?? (parsed.success ? parsed.data.type : undefined) ?? '';
    // The SDK's rule: `event: error`, or any payload with an `error` key, is a failure.
    if (type === 'error' || !parsed.success || parsed.data.error !== undefined) {
      if (type === 'error' || (parsed.success && parsed.data.error !== undefined)) {
        const object = parsed.success && parsed.data.error !== undefined ? parsed.data.error : json;
        failure = handlers.errorFor(JSON.stringify({ error: object }));
      } else {
        failure = invalid(`sent an event "${type}" that does not look like an image event`);
      }
      return;
    }
    const event = parsed.data;
    if (type.endsWith('.partial_image')) {
      const text = event.b64_json ?? '';
      const index = event.partial_image_index ?? partials;
      partials += 1;
      let decoded: Uint8Array | undefined;
      try {
        handlers.onPartialImage?.({
          index,
          bytes: () => (decoded ??= decodeBase64(text)),
        });
      } catch {
        // A preview is only a view: a listener that fails must not cost the paid image still arriving.
      }
      return;
    }
    if (type.endsWith('.completed')) {
      const bytes = decodeBase64(event.b64_json ?? '');
      if (bytes.length === 0) {
        failure = invalid('completed without image data');
        return;
      }
      images.push(bytes);
      usage = event.usage ?? usage;
    }
    // Any other event (a future type) is ignored, as the SDK does.
  };

  const parser = createParser({
    maxBufferSize: maxEventChars,
    onEvent,
    onError: (error) => {
      failure ??= invalid(`could not be read (${error.message})`);
    },
  });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (failure) throw failure;
  }
  parser.feed(decoder.decode());
  // A last event without its blank line still counts (the stream ended cleanly).
  parser.reset({ consume: true });
  if (failure) throw failure;
  if (images.length === 0) throw handlers.truncated(partials);
  return { images, usage, partials };
}

/** Base64 (optionally a `data:` URI, as relays send) to bytes; a stray character shows as a short result. */
function decodeBase64(text: string): Buffer {
  const comma = text.startsWith('data:') ? text.indexOf(',') : -1;
  const payload = comma >= 0 ? text.slice(comma + 1) : text;
  return Buffer.from(payload, 'base64');
}
