import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { boundaryOf, parseMultipart } from './multipartParser';
import { makePng } from './png';
import { resetConnection, sendJson, startLoopbackServer } from './server';
import type { RecordedRequest } from './server';
import { errorBody, generationUsage } from './openAiErrors';
import { createFakeBatchApi } from './openAiBatch';
import type { FakeBatchApi, FakeBatchFault, FakeBatchKnobs } from './openAiBatch';

/**
 * One scripted fault, consumed in order by the next API requests (not by control requests):
 * - `{status}`: that HTTP status with the flavour's documented error body (override code/type/message/param,
 *   or give a raw `body`); `retryAfter` (seconds) / `retryAfterMs` add the headers;
 * - `{moderation:true}`: 400 moderation_blocked (OpenAI) or sensitive_words_detected (Gravitex);
 * - `{malformed:true}`: 200 with a body that is not valid JSON;
 * - `{reset:true}`: reads the request, then drops the connection without answering;
 * - `{resetMidBody:true}`: starts a 200 answer, then drops the connection halfway through it;
 * - `{truncatedImage:true}`: a well-formed 200 whose image `index` (default 0) is the base64 of only
 *   the first half of its PNG (a gateway that cut the string);
 * - `{delayMs}`: waits, then answers normally;
 * - `{redirect:url}`: 307 to that URL;
 * - `{garbageAt:i}`: answers normally, but image `i` (0-based) of the answer is base64 of bytes that are no image;
 * - `{streamError:true}`: a streamed answer (stream:true) sends one partial image, then an `error` event
 *   (moderation_blocked, or `code`/`type`/`message`);
 * - `{streamCutAfterPartial:true}`: a streamed answer sends one partial image, then drops the connection.
 * A request with `stream: true` is answered as `text/event-stream` (docs/providers.md §7.1): `partial_images`
 * partial events (smaller PNGs), then one completed event per image with its usage.
 */
export type FakeOpenAiFault =
  | {
      readonly status: number;
      readonly retryAfter?: number;
      readonly retryAfterMs?: number;
      readonly code?: string | null;
      readonly type?: string;
      readonly message?: string;
      readonly param?: string | null;
      readonly body?: string;
    }
  | { readonly moderation: true }
  | { readonly malformed: true }
  | { readonly reset: true }
  | { readonly resetMidBody: true }
  | { readonly truncatedImage: true; readonly index?: number }
  | { readonly delayMs: number }
  | { readonly redirect: string }
  | { readonly garbageAt: number }
  | { readonly streamError: true; readonly code?: string; readonly type?: string; readonly message?: string }
  | { readonly streamCutAfterPartial: true };

export type FakeOpenAiFlavour = 'openai' | 'gravitex';

export interface FakeOpenAiOptions {
  /** Which API's quirks to speak (default 'openai'). */
  readonly flavour?: FakeOpenAiFlavour;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Another loopback address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Only `Bearer <expectedKey>` is accepted; by default any non-empty key starting with "sk-". */
  readonly expectedKey?: string;
  /** Draw images at the requested size; by default at a quarter of it (the response still reports the requested size). */
  readonly fullSize?: boolean;
  /** Gravitex: prefix b64_json with `data:image/png;base64,` (U-G4). */
  readonly dataUriPrefix?: boolean;
  /** A model that accepts `background: transparent` but draws opaque pixels anyway (issue 12). */
  readonly opaqueDespiteTransparent?: boolean;
  /** Report this size and quality back instead of the asked ones (a model that changed them, issue 12). */
  readonly reportedInstead?: { readonly size?: string; readonly quality?: string };
  /** Benchmarks: serve these PNGs (in turn) instead of synthetic ones. */
  readonly largeImages?: readonly Buffer[];
  /** Added before every API answer. */
  readonly latencyMs?: number;
  /** A streamed answer waits this long after each partial image (so a view can be seen showing it). */
  readonly partialDelayMs?: number;
  /** Faults for the first API requests. */
  readonly queue?: readonly FakeOpenAiFault[];
  /**
   * A rate limit as a token bucket (issue 15's bench): `perSecond` requests refill, `burst` at most
   * at once; a request beyond it is answered 429 rate_limit_exceeded with Retry-After and
   * retry-after-ms (when the next request would pass), and makes nothing.
   */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  /**
   * A careless gateway: 400 and 401 error messages repeat the Authorization header as received,
   * so tests can prove the client never shows, logs or keeps it.
   */
  readonly echoAuthorization?: boolean;
}

/** Settable through POST /__control {"options": {...}}; the JSON-safe subset of FakeOpenAiOptions. */
export type FakeOpenAiKnobs = Pick<FakeOpenAiOptions, 'expectedKey' | 'fullSize' | 'dataUriPrefix' | 'latencyMs' | 'partialDelayMs' | 'echoAuthorization' | 'opaqueDespiteTransparent' | 'reportedInstead'>;

export interface ServedImage {
  /** Index of the API request (in apiRequests()) that got this image. */
  readonly requestIndex: number;
  readonly bytes: Buffer;
}

export interface FakeOpenAi {
  readonly flavour: FakeOpenAiFlavour;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** What a provider's base URL should be: `${origin}/v1`. */
  readonly baseUrl: string;
  /** Every request received, control ones included. */
  readonly requests: RecordedRequest[];
  /** The API requests only (what the client under test sent). */
  apiRequests(): RecordedRequest[];
  /** Every image served, in order. */
  readonly served: ServedImage[];
  /** Every partial image streamed, in order (never results). */
  readonly partialsServed: Buffer[];
  /** The `usage` object of every answer that carried images, in order: what this fake charged. */
  readonly usageSent: Record<string, unknown>[];
  /** The Batch API (files, batches, output files) on the same origin; OpenAI flavour only. */
  readonly batch: FakeBatchApi;
  /** API requests refused by the rateLimit option (429). */
  rateLimitedCount(): number;
  enqueue(...faults: FakeOpenAiFault[]): void;
  configure(knobs: FakeOpenAiKnobs): void;
  /** Forgets requests, served images and queued faults; restores the start options. */
  reset(): void;
  close(): Promise<void>;
}

interface ParsedCall {
  readonly prompt: string;
  readonly n: number;
  readonly size: string;
  readonly quality: string | undefined;
  readonly background: string | undefined;
  readonly outputFormat: string | undefined;
  readonly imageCount: number;
  readonly stream: boolean;
  readonly partialImages: number;
}

/** An images call as it arrived, before the documented checks. */
type CallFields = Omit<ParsedCall, 'n' | 'prompt' | 'size' | 'stream' | 'partialImages'> & {
  stream?: string | undefined;
  partialImages?: string | undefined;
  model?: string | undefined;
  prompt?: string | undefined;
  n: unknown;
  size?: string | undefined;
  responseFormat?: string | undefined;
  inputFidelity?: string | undefined;
};

const base64Cache = new WeakMap<Buffer, string>();

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const flavour = options.flavour ?? 'openai';
  let knobs: FakeOpenAiKnobs = { ...options };
  const queue: FakeOpenAiFault[] = [...(options.queue ?? [])];
  const served: ServedImage[] = [];
  const usageSent: Record<string, unknown>[] = [];
  const partialsServed: Buffer[] = [];
  let apiCount = 0;
  let largeIndex = 0;
  const batch = createFakeBatchApi();
  let rateLimited = 0;
  let tokens = options.rateLimit?.burst ?? 0;
  let refilledAt = Date.now();
  /** Takes a token, or says how long until one is there. */
  const takeToken = (limit: { readonly perSecond: number; readonly burst: number }): number | undefined => {
    const now = Date.now();
    tokens = Math.min(limit.burst, tokens + ((now - refilledAt) / 1000) * limit.perSecond);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return undefined;
    }
    return Math.ceil(((1 - tokens) / limit.perSecond) * 1000);
  };

  const isControl = (request: RecordedRequest): boolean => request.url.startsWith('/__');

  const server = await startLoopbackServer(async (request, body, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/__')) return control(request, path, body, response);
    const requestIndex = apiCount++;
    if (knobs.latencyMs) await waitUnlessClosed(knobs.latencyMs, response);
    await answer(request, body, response, requestIndex);
  }, options.port ?? 0, options.host);

  function control(request: IncomingMessage, path: string, body: Buffer, response: ServerResponse): void {
    if (path === '/__requests' && request.method === 'GET') {
      const list = server.requests.filter((recorded) => !isControl(recorded));
      return sendJson(response, 200, list.map((recorded) => ({ ...recorded, body: undefined, bodyBase64: recorded.body.toString('base64') })));
    }
    if (path === '/__served' && request.method === 'GET') {
      return sendJson(response, 200, served.map((image) => ({ requestIndex: image.requestIndex, bytes: image.bytes.length, sha256: sha256(image.bytes) })));
    }
    if (path === '/__reset' && request.method === 'POST') {
      fake.reset();
      return sendJson(response, 200, { ok: true });
    }
    if (path === '/__control' && request.method === 'POST') {
      const command = JSON.parse(body.toString('utf8') || '{}') as { queue?: FakeOpenAiFault[]; options?: FakeOpenAiKnobs; batch?: { knobs?: Partial<FakeBatchKnobs>; faults?: FakeBatchFault[] } };
      if (command.options) fake.configure(command.options);
      // The Batch API's knobs and faults, for a client in another process (the real editor, `npm start`).
      if (command.batch?.knobs) batch.configure(command.batch.knobs);
      if (command.batch?.faults) batch.enqueue(...command.batch.faults);
      if (command.queue) queue.push(...command.queue);
      return sendJson(response, 200, { ok: true, queued: queue.length });
    }
    sendJson(response, 404, { error: { message: `No control endpoint ${request.method} ${path}` } });
  }

  async function answer(request: IncomingMessage, body: Buffer, response: ServerResponse, requestIndex: number): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'GET' && path === '/v1/models' && flavour === 'openai') return answerModels(request, response);
    const kind = path.endsWith('/images/generations') ? 'generations' : path.endsWith('/images/edits') ? 'edits' : undefined;
    if (kind === undefined && flavour === 'openai' && /^\/v1\/(files|batches)(\/|$)/.test(path)) {
      if (!authorized(request.headers.authorization)) return sendError(response, 401, errorBody(flavour, 401, request.headers.authorization));
      if (await batch.handle(request, path, body, response)) return;
    }
    if (request.method !== 'POST' || kind === undefined) {
      return sendError(response, 404, { message: `Invalid URL (${request.method} ${path})`, type: 'invalid_request_error', code: null, param: null });
    }
    if (!authorized(request.headers.authorization)) {
      return sendError(response, 401, errorBody(flavour, 401, request.headers.authorization));
    }
    const waitMs = options.rateLimit ? takeToken(options.rateLimit) : undefined;
    if (waitMs !== undefined) {
      rateLimited++;
      return sendError(response, 429, errorBody(flavour, 429), { 'retry-after': String(Math.ceil(waitMs / 1000)), 'retry-after-ms': String(waitMs) });
    }
    let fault = queue.shift();
    if (fault && 'delayMs' in fault) {
      await waitUnlessClosed(fault.delayMs, response);
      fault = undefined;
      if (response.destroyed) return;
    }
    if (fault && 'reset' in fault) return resetConnection(response);
    if (fault && 'redirect' in fault) {
      response.writeHead(307, { location: fault.redirect, 'content-length': 0 });
      return void response.end();
    }
    if (fault && 'moderation' in fault) return sendError(response, 400, errorBody(flavour, 'moderation'));
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      if (fault.body !== undefined) return sendJson(response, fault.status, fault.body, { ...headers, 'x-request-id': requestId() });
      const defaults = errorBody(flavour, fault.status);
      return sendError(response, fault.status, {
        message: fault.message ?? defaults.message,
        type: fault.type ?? defaults.type,
        param: fault.param === undefined ? defaults.param : fault.param,
        code: fault.code === undefined ? defaults.code : fault.code,
      }, headers);
    }
    const call = kind === 'generations' ? parseGeneration(body, response) : parseEdit(request, body, response);
    if (call === undefined) return;
    if (fault && 'malformed' in fault) {
      return sendJson(response, 200, `{"created":1777000000,"data":[{"b64_json":"iVBORw0KGgo="}`, { 'x-request-id': requestId() });
    }
    const images = makeImages(call, requestIndex);
    if (fault && 'garbageAt' in fault && fault.garbageAt < images.length) {
      const garbage = Buffer.from('this is not an image, whatever the base64 says');
      images[fault.garbageAt] = garbage;
      const entry = served.findIndex((image) => image.requestIndex === requestIndex) + fault.garbageAt;
      served[entry] = { requestIndex, bytes: garbage };
    }
    if (fault && 'truncatedImage' in fault) {
      const index = fault.index ?? 0;
      const whole = images[index];
      if (whole) images[index] = whole.subarray(0, Math.floor(whole.length / 2));
    }
    if (call.stream && flavour === 'openai') return await writeStream(response, kind, call, images, fault);
    writeImages(response, call, images, fault !== undefined && 'resetMidBody' in fault);
  }

  /** SSE as OpenAI sends it: partials (each a whole, smaller image), then one completed event per image. */
  async function writeStream(response: ServerResponse, kind: 'generations' | 'edits', call: ParsedCall, images: readonly Buffer[], fault: FakeOpenAiFault | undefined): Promise<void> {
    const prefix = kind === 'generations' ? 'image_generation' : 'image_edit';
    const echo = {
      created_at: Math.floor(Date.now() / 1000),
      size: call.size === 'auto' ? '1024x1024' : call.size,
      quality: call.quality ?? 'auto',
      background: call.background ?? 'opaque',
      output_format: call.outputFormat ?? 'png',
    };
    const event = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': requestId() });
    const partials = fault && ('streamError' in fault || 'streamCutAfterPartial' in fault) ? 1 : call.partialImages;
    for (let index = 0; index < partials; index++) {
      // With large fixtures (the bench) a partial is as big as a real one: a whole image of that size.
      const large = options.largeImages && options.largeImages.length > 0 ? images[0] : undefined;
      const preview = large ?? makePng({ width: 16, height: 16, seed: seedOf(call.prompt) + 1000 + index });
      partialsServed.push(preview);
      response.write(event(`${prefix}.partial_image`, { b64_json: preview.toString('base64'), ...echo, partial_image_index: index }));
      if (knobs.partialDelayMs) {
        await waitUnlessClosed(knobs.partialDelayMs, response);
        if (response.destroyed) return;
      }
    }
    if (fault && 'streamCutAfterPartial' in fault) {
      response.write('', () => resetConnection(response));
      return;
    }
    if (fault && 'streamError' in fault) {
      const error = { message: fault.message ?? 'Your request was rejected by the safety system.', type: fault.type ?? 'image_generation_user_error', param: null, code: fault.code ?? 'moderation_blocked' };
      response.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`);
      return;
    }
    const usage = generationUsage(call);
    usageSent.push(usage);
    for (const image of images) response.write(event(`${prefix}.completed`, { b64_json: image.toString('base64'), ...echo, usage }));
    response.end();
  }

  /**
   * `GET /v1/models`, the free request Check Setup sends (docs/providers.md §2.9). The next queued
   * `{status}` or `{reset}` fault applies to it like to any API request. Gravitex documents no such
   * route, so its flavour answers 404 here as for any unknown path.
   */
  function answerModels(request: IncomingMessage, response: ServerResponse): void {
    if (!authorized(request.headers.authorization)) return sendError(response, 401, errorBody(flavour, 401, request.headers.authorization));
    const fault = queue.shift();
    if (fault && 'reset' in fault) return resetConnection(response);
    if (fault && 'status' in fault) {
      const defaults = errorBody(flavour, fault.status);
      return sendError(response, fault.status, { message: fault.message ?? defaults.message, type: fault.type ?? defaults.type, param: defaults.param, code: fault.code === undefined ? defaults.code : fault.code });
    }
    const models = ['gpt-image-2', 'gpt-image-1.5'].map((id) => ({ id, object: 'model', created: 1777000000, owned_by: 'system' }));
    sendJson(response, 200, { object: 'list', data: models }, { 'x-request-id': requestId() });
  }

  function authorized(header: string | undefined): boolean {
    if (knobs.expectedKey !== undefined) return header === `Bearer ${knobs.expectedKey}`;
    return header !== undefined && /^Bearer sk-\S+$/.test(header);
  }

  function parseGeneration(body: Buffer, response: ServerResponse): ParsedCall | undefined {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      sendError(response, 400, { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null });
      return undefined;
    }
    const field = (name: string): string | undefined => (json[name] === undefined ? undefined : String(json[name]));
    return checkCall(response, callFields(field, json.n, 0));
  }

  function parseEdit(request: IncomingMessage, body: Buffer, response: ServerResponse): ParsedCall | undefined {
    const boundary = boundaryOf(request.headers['content-type']);
    let parts;
    try {
      if (boundary === undefined) throw new Error('not multipart/form-data');
      parts = parseMultipart(body, boundary);
    } catch (error) {
      sendError(response, 400, { message: `Invalid multipart body: ${(error as Error).message}`, type: 'invalid_request_error', param: null, code: null });
      return undefined;
    }
    const field = (name: string): string | undefined => {
      const part = parts.find((candidate) => candidate.name === name && candidate.fileName === undefined);
      return part?.data.toString('utf8');
    };
    const images = parts.filter((part) => /^image(\[\d*\])?$/.test(part.name) && part.fileName !== undefined);
    if (images.length === 0) {
      sendError(response, 400, { message: "Missing required parameter: 'image'.", type: 'invalid_request_error', param: 'image', code: 'missing_required_parameter' });
      return undefined;
    }
    const n = field('n');
    return checkCall(response, callFields(field, n === undefined ? undefined : Number(n), images.length));
  }

  /** The same wire fields, whether they came as JSON (generations) or form parts (edits). */
  function callFields(field: (name: string) => string | undefined, n: unknown, imageCount: number): CallFields {
    return {
      model: field('model'),
      prompt: field('prompt'),
      n,
      size: field('size'),
      quality: field('quality'),
      background: field('background'),
      outputFormat: field('output_format'),
      responseFormat: field('response_format'),
      inputFidelity: field('input_fidelity'),
      stream: field('stream'),
      partialImages: field('partial_images'),
      imageCount,
    };
  }

  /** The documented refusals a client must avoid (docs/providers.md §3.2, §3.3). */
  function checkCall(response: ServerResponse, call: CallFields): ParsedCall | undefined {
    const refuse = (message: string, param: string, code = 'invalid_value'): undefined => {
      sendError(response, 400, { message, type: 'invalid_request_error', param, code });
      return undefined;
    };
    if (!call.model) return refuse("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
    if (!call.prompt) return refuse("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
    if (flavour === 'openai' && call.responseFormat !== undefined) {
      return refuse("Unknown parameter: 'response_format'.", 'response_format', 'unknown_parameter');
    }
    if (flavour === 'openai' && call.inputFidelity !== undefined && call.model.startsWith('gpt-image-2')) {
      return refuse('input_fidelity cannot be changed for gpt-image-2.', 'input_fidelity');
    }
    const n = call.n === undefined ? 1 : Number(call.n);
    if (!Number.isInteger(n) || n < 1 || n > 10) return refuse(`Invalid 'n': ${String(call.n)}. Expected 1 to 10.`, 'n');
    const size = call.size ?? 'auto';
    if (size !== 'auto' && !/^\d+x\d+$/.test(size)) return refuse(`Invalid size '${size}'.`, 'size');
    const partialImages = call.partialImages === undefined ? 0 : Number(call.partialImages);
    if (!Number.isInteger(partialImages) || partialImages < 0 || partialImages > 3) {
      return refuse(`Invalid 'partial_images': ${call.partialImages}. Expected 0 to 3.`, 'partial_images');
    }
    if (call.stream !== undefined && call.stream !== 'true' && call.stream !== 'false') return refuse(`Invalid 'stream': ${call.stream}.`, 'stream');
    return { ...call, prompt: call.prompt, n, size, stream: call.stream === 'true', partialImages };
  }

  function makeImages(call: ParsedCall, requestIndex: number): Buffer[] {
    const [width, height] = (call.size === 'auto' ? '1024x1024' : call.size).split('x').map(Number) as [number, number];
    const scale = knobs.fullSize ? 1 : 4;
    const images: Buffer[] = [];
    for (let index = 0; index < call.n; index++) {
      const large = options.largeImages;
      const bytes =
        large && large.length > 0
          ? (large[largeIndex++ % large.length] as Buffer)
          : makePng({
              width: Math.max(16, Math.round(width / scale)),
              height: Math.max(16, Math.round(height / scale)),
              seed: seedOf(call.prompt) + index,
              // Asked for transparency, an RGBA image with a transparent centre, as the real API would draw.
              alpha: call.background === 'transparent' && !knobs.opaqueDespiteTransparent,
            });
      images.push(bytes);
      served.push({ requestIndex, bytes });
    }
    return images;
  }

  function writeImages(response: ServerResponse, call: ParsedCall, images: readonly Buffer[], resetMidBody: boolean): void {
    const prefix = flavour === 'gravitex' && knobs.dataUriPrefix ? 'data:image/png;base64,' : '';
    const usage = generationUsage(call);
    usageSent.push(usage);
    const pieces: string[] = [`{"created":${Math.floor(Date.now() / 1000)},`];
    if (flavour === 'openai') {
      pieces.push(
        `"background":${JSON.stringify(call.background ?? 'opaque')},"output_format":${JSON.stringify(call.outputFormat ?? 'png')},` +
          `"quality":${JSON.stringify(knobs.reportedInstead?.quality ?? call.quality ?? 'auto')},` +
          `"size":${JSON.stringify(knobs.reportedInstead?.size ?? (call.size === 'auto' ? '1024x1024' : call.size))},`,
      );
    }
    pieces.push('"data":[');
    images.forEach((image, index) => {
      let encoded = base64Cache.get(image);
      if (encoded === undefined) {
        encoded = image.toString('base64');
        if (options.largeImages?.includes(image)) base64Cache.set(image, encoded);
      }
      pieces.push(`${index > 0 ? ',' : ''}{"b64_json":"${prefix}`, encoded, flavour === 'gravitex' ? '","url":"","revised_prompt":""}' : '"}');
    });
    pieces.push(`],"usage":${JSON.stringify(usage)}}`);
    const length = pieces.reduce((sum, piece) => sum + Buffer.byteLength(piece), 0);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': length, 'x-request-id': requestId() });
    if (resetMidBody) {
      response.write(pieces.join('').slice(0, Math.floor(length / 2)), () => resetConnection(response));
      return;
    }
    for (const piece of pieces) response.write(piece);
    response.end();
  }

  function sendError(
    response: ServerResponse,
    status: number,
    error: { message: string; type: string; param: string | null; code: string | null; moderation_details?: unknown },
    headers: Record<string, string> = {},
  ): void {
    const echoed = knobs.echoAuthorization && (status === 400 || status === 401) ? ` (received Authorization: ${response.req.headers.authorization ?? 'none'})` : '';
    sendJson(response, status, { error: { ...error, message: `${error.message}${echoed}` } }, { ...headers, 'x-request-id': requestId() });
  }

  let requestCounter = 0;
  function requestId(): string {
    requestCounter += 1;
    return `req_fake_${flavour}_${requestCounter}`;
  }

  const fake: FakeOpenAi = {
    flavour,
    origin: server.origin,
    baseUrl: `${server.origin}/v1`,
    requests: server.requests,
    served,
    partialsServed,
    usageSent,
    batch,
    rateLimitedCount: () => rateLimited,
    apiRequests: () => server.requests.filter((recorded) => !isControl(recorded)),
    enqueue: (...faults) => void queue.push(...faults),
    configure: (changes) => {
      knobs = { ...knobs, ...changes };
    },
    reset: () => {
      server.requests.length = 0;
      served.length = 0;
      partialsServed.length = 0;
      usageSent.length = 0;
      queue.length = 0;
      queue.push(...(options.queue ?? []));
      knobs = { ...options };
      apiCount = 0;
      batch.reset();
      rateLimited = 0;
      tokens = options.rateLimit?.burst ?? 0;
      refilledAt = Date.now();
    },
    close: () => server.close(),
  };
  return fake;
}

/** Waits, but stops early when the client has gone (a cancelled or timed-out test must not keep the process alive). */
function waitUnlessClosed(ms: number, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    response.once('close', done);
    function done(): void {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    }
  });
}

function seedOf(text: string): number {
  let hash = 7;
  for (const character of text) hash = (hash * 31 + (character.codePointAt(0) ?? 0)) % 1000;
  return hash;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
