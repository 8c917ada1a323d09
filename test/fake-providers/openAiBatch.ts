import type { IncomingMessage, ServerResponse } from 'node:http';
import { boundaryOf, parseMultipart } from './multipartParser';
import { makePng } from './png';
import { generationUsage } from './openAiErrors';
import { delay, resetConnection, sendJson } from './server';

/**
 * OpenAI's Batch API as docs/providers.md §7.3 describes it: `POST /v1/files` (multipart,
 * purpose=batch, a .jsonl), `POST /v1/batches`, `GET /v1/batches/{id}` (validating → in_progress →
 * finalizing → completed on a schedule scaled by `stepMs`), `POST /v1/batches/{id}/cancel`
 * (cancelling → cancelled) and `GET /v1/files/{id}/content`. Output lines come shuffled; lines can
 * be made to fail with a non-2xx response or with an `error`. Edit images may be uploaded first
 * (`purpose=vision`) and named by `{ file_id }`: a line naming a file that is not a vision upload
 * fails as OpenAI's would, with a 400 response.
 */

/** A fault for the next request of one Batch API endpoint. */
export interface FakeBatchFault {
  /** `upload` is a `purpose=batch` upload, `uploadImage` a `purpose=vision` one. */
  readonly on: 'upload' | 'uploadImage' | 'create' | 'get' | 'cancel' | 'content';
  /**
   * - status: that HTTP status with OpenAI's error body (nothing done);
   * - reset: do the work (the file or batch exists), then drop the connection: the outcome is unknown to the client;
   * - resetBefore: drop the connection before doing anything;
   * - delay: answer as usual after `delayMs`;
   * - cutMidBody (content): send the headers and half the file, then drop the connection.
   */
  readonly kind: 'status' | 'reset' | 'resetBefore' | 'delay' | 'cutMidBody';
  readonly status?: number;
  readonly delayMs?: number;
  readonly times?: number;
  /** Let this many matching requests through untouched first (e.g. fail only the second create). */
  readonly skip?: number;
}

export interface FakeBatchKnobs {
  /** How long each of validating, in_progress and finalizing lasts (default 150 ms). */
  stepMs: number;
  /** How the batch ends after in_progress (default completed). */
  outcome: 'completed' | 'failed' | 'expired';
  /** custom_id → how that line fails: a non-2xx `response` (status) or an `error` object. */
  failLines: Record<string, 'status' | 'error'>;
  /** For outcome 'expired': the custom_ids that finished before the window closed (the rest go to the error file). */
  finishedBeforeExpiry: readonly string[];
}

export interface FakeBatchFile {
  readonly id: string;
  readonly purpose: string;
  readonly filename: string;
  readonly bytes: Buffer;
  /** `expires_after[seconds]` of the upload (anchored at created_at), when it had one. */
  readonly expiresAfterSeconds?: number;
}

export interface FakeBatch {
  readonly id: string;
  readonly inputFileId: string;
  readonly endpoint: string;
  readonly body: Record<string, unknown>;
  readonly createdAt: number;
  cancelRequestedAt?: number;
  outputFileId?: string;
  errorFileId?: string;
}

export interface FakeBatchApi {
  readonly files: Map<string, FakeBatchFile>;
  readonly batches: Map<string, FakeBatch>;
  /** Images drawn into output files, by custom_id. */
  readonly served: Map<string, Buffer[]>;
  /** The input images (then the mask) an edit line was made from, resolved from file ids or data URLs, by custom_id. */
  readonly editInputs: Map<string, Buffer[]>;
  readonly knobs: FakeBatchKnobs;
  enqueue(...faults: FakeBatchFault[]): void;
  configure(knobs: Partial<FakeBatchKnobs>): void;
  /** Answers a Batch API route; false when the path is not one. */
  handle(request: IncomingMessage, path: string, body: Buffer, response: ServerResponse): Promise<boolean>;
  reset(): void;
}

const defaultKnobs = (): FakeBatchKnobs => ({ stepMs: 150, outcome: 'completed', failLines: {}, finishedBeforeExpiry: [] });

export function createFakeBatchApi(): FakeBatchApi {
  const files = new Map<string, FakeBatchFile>();
  const batches = new Map<string, FakeBatch>();
  const served = new Map<string, Buffer[]>();
  const editInputs = new Map<string, Buffer[]>();
  const faults: { fault: FakeBatchFault; remaining: number; skip: number }[] = [];
  let knobs = defaultKnobs();
  let counter = 0;
  const nextId = (prefix: string): string => `${prefix}-fake${String(++counter).padStart(4, '0')}`;

  function takeFault(on: FakeBatchFault['on']): FakeBatchFault | undefined {
    const index = faults.findIndex((entry) => entry.fault.on === on);
    if (index < 0) return undefined;
    const entry = faults[index] as { fault: FakeBatchFault; remaining: number; skip: number };
    if (entry.skip > 0) {
      entry.skip -= 1;
      return undefined;
    }
    entry.remaining -= 1;
    if (entry.remaining <= 0) faults.splice(index, 1);
    return entry.fault;
  }

  function error(response: ServerResponse, status: number, message: string, code: string | null = null, param: string | null = null): void {
    sendJson(response, status, { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param, code } });
  }

  function refuse(response: ServerResponse, status: number, message: string, code: string | null = null, param: string | null = null): true {
    error(response, status, message, code, param);
    return true;
  }

  /** Where a batch is now: its status follows the clock, so a client sees it move while it polls. */
  function statusOf(batch: FakeBatch, now: number): string {
    const step = knobs.stepMs;
    if (batch.cancelRequestedAt !== undefined) return now - batch.cancelRequestedAt < step ? 'cancelling' : 'cancelled';
    const age = now - batch.createdAt;
    if (age < step) return 'validating';
    if (knobs.outcome === 'failed') return 'failed';
    if (age < 2 * step) return 'in_progress';
    if (knobs.outcome === 'expired') return 'expired';
    if (age < 3 * step) return 'finalizing';
    return 'completed';
  }

  function inputLines(batch: FakeBatch): Record<string, unknown>[] {
    const file = files.get(batch.inputFileId);
    return (file?.bytes.toString('utf8') ?? '')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Writes the output and error files once, when the batch reaches a terminal state with results. */
  function finish(batch: FakeBatch, status: string): void {
    if (batch.outputFileId !== undefined || batch.errorFileId !== undefined) return;
    if (!['completed', 'expired', 'cancelled'].includes(status)) return;
    const output: string[] = [];
    const errors: string[] = [];
    for (const line of inputLines(batch)) {
      const customId = String(line.custom_id);
      const finished = status === 'completed' || (status === 'expired' && knobs.finishedBeforeExpiry.includes(customId));
      if (!finished) {
        const code = status === 'expired' ? 'batch_expired' : 'batch_cancelled';
        errors.push(JSON.stringify({ id: nextId('batch_req'), custom_id: customId, response: null, error: { code, message: `This request could not be executed before the batch was ${status}.` } }));
        continue;
      }
      const failure = knobs.failLines[customId];
      if (failure === 'status') {
        const body = { error: { message: 'Your request was rejected by the safety system.', type: 'image_generation_user_error', param: null, code: 'moderation_blocked' } };
        errors.push(JSON.stringify({ id: nextId('batch_req'), custom_id: customId, response: { status_code: 400, request_id: nextId('req'), body }, error: null }));
        continue;
      }
      if (failure === 'error') {
        errors.push(JSON.stringify({ id: nextId('batch_req'), custom_id: customId, response: null, error: { code: 'server_error', message: 'The request failed inside the batch.' } }));
        continue;
      }
      const body = (line.body ?? {}) as Record<string, unknown>;
      const inputs = resolveImages(body);
      if (typeof inputs === 'string') {
        const refused = { error: { message: inputs, type: 'invalid_request_error', param: 'images', code: 'invalid_file' } };
        errors.push(JSON.stringify({ id: nextId('batch_req'), custom_id: customId, response: { status_code: 400, request_id: nextId('req'), body: refused }, error: null }));
        continue;
      }
      if (inputs.length > 0) editInputs.set(customId, inputs);
      const n = typeof body.n === 'number' ? body.n : 1;
      const size = typeof body.size === 'string' && body.size !== 'auto' ? body.size : '1024x1024';
      const [width, height] = size.split('x').map(Number) as [number, number];
      const prompt = String(body.prompt ?? '');
      const images = Array.from({ length: n }, (_, index) =>
        makePng({ width: Math.max(16, Math.round(width / 16)), height: Math.max(16, Math.round(height / 16)), seed: seedOf(`${customId}${prompt}`) + index }),
      );
      served.set(customId, images);
      const usage = generationUsage({ prompt, n, size, quality: typeof body.quality === 'string' ? body.quality : undefined, imageCount: Array.isArray(body.images) ? body.images.length : 0 });
      const answer = { created: Math.floor(Date.now() / 1000), size, quality: body.quality ?? 'auto', output_format: body.output_format ?? 'png', data: images.map((image) => ({ b64_json: image.toString('base64') })), usage };
      output.push(JSON.stringify({ id: nextId('batch_req'), custom_id: customId, response: { status_code: 200, request_id: nextId('req'), body: answer }, error: null }));
    }
    // "Output order may differ from input order" (docs/providers.md §7.3): a client must match on custom_id.
    output.reverse();
    if (output.length > 0) batch.outputFileId = storeFile('batch_output', 'batch_output.jsonl', `${output.join('\n')}\n`).id;
    if (errors.length > 0) batch.errorFileId = storeFile('batch_output', 'batch_errors.jsonl', `${errors.join('\n')}\n`).id;
  }

  /** The bytes of an edit line's images and mask, or why OpenAI would refuse the line. */
  function resolveImages(body: Record<string, unknown>): Buffer[] | string {
    const items = [...(Array.isArray(body.images) ? (body.images as unknown[]) : []), ...(body.mask === undefined ? [] : [body.mask])];
    const resolved: Buffer[] = [];
    for (const item of items as { image_url?: unknown; file_id?: unknown }[]) {
      if (typeof item.file_id === 'string') {
        const file = files.get(item.file_id);
        if (!file || file.purpose !== 'vision') return `Invalid file id '${item.file_id}': no vision file with that id.`;
        resolved.push(file.bytes);
      } else if (typeof item.image_url === 'string' && item.image_url.startsWith('data:')) {
        resolved.push(Buffer.from(item.image_url.slice(item.image_url.indexOf(',') + 1), 'base64'));
      } else if (typeof item.image_url !== 'string') return 'Each image must have exactly one of image_url or file_id.';
    }
    return resolved;
  }

  function storeFile(purpose: string, filename: string, text: string): FakeBatchFile {
    const file: FakeBatchFile = { id: nextId('file'), purpose, filename, bytes: Buffer.from(text, 'utf8') };
    files.set(file.id, file);
    return file;
  }

  function batchObject(batch: FakeBatch): Record<string, unknown> {
    const now = Date.now();
    const status = statusOf(batch, now);
    finish(batch, status);
    const lines = inputLines(batch);
    const done = ['completed', 'expired', 'cancelled'].includes(status);
    const failed = done ? lines.filter((line) => !servedFor(String(line.custom_id))).length : 0;
    const seconds = (ms: number): number => Math.floor(ms / 1000);
    return {
      id: batch.id,
      object: 'batch',
      endpoint: batch.endpoint,
      model: (lines[0]?.body as { model?: string } | undefined)?.model ?? null,
      input_file_id: batch.inputFileId,
      completion_window: '24h',
      status,
      output_file_id: batch.outputFileId ?? null,
      error_file_id: batch.errorFileId ?? null,
      errors:
        status === 'failed'
          ? { object: 'list', data: [{ code: 'invalid_request', message: 'The body of line 2 is not valid for /v1/images/generations.', param: 'body', line: 2 }] }
          : null,
      request_counts: { total: lines.length, completed: done ? lines.length - failed : 0, failed },
      created_at: seconds(batch.createdAt),
      expires_at: seconds(batch.createdAt) + 86_400,
      in_progress_at: status === 'validating' ? null : seconds(batch.createdAt + knobs.stepMs),
      cancelling_at: batch.cancelRequestedAt === undefined ? null : seconds(batch.cancelRequestedAt),
      metadata: batch.body.metadata ?? null,
    };
  }

  function servedFor(customId: string): boolean {
    return served.has(customId);
  }

  async function handle(request: IncomingMessage, path: string, body: Buffer, response: ServerResponse): Promise<boolean> {
    const method = request.method ?? 'GET';
    const route =
      method === 'POST' && path === '/v1/files'
        ? 'upload'
        : method === 'POST' && path === '/v1/batches'
          ? 'create'
          : method === 'GET' && /^\/v1\/batches\/[^/]+$/.test(path)
            ? 'get'
            : method === 'POST' && /^\/v1\/batches\/[^/]+\/cancel$/.test(path)
              ? 'cancel'
              : method === 'GET' && /^\/v1\/files\/[^/]+\/content$/.test(path)
                ? 'content'
                : undefined;
    if (route === undefined) return false;
    const fault = takeFault(route === 'upload' && purposeOf(request, body) === 'vision' ? 'uploadImage' : route);
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault?.kind === 'resetBefore') {
      resetConnection(response);
      return true;
    }
    if (fault?.kind === 'status') {
      const status = fault.status ?? 500;
      error(response, status, status >= 500 ? 'The server had an error while processing your request.' : 'Bad request.');
      return true;
    }
    const answer = (status: number, value: unknown): void => {
      if (fault?.kind === 'reset') resetConnection(response);
      else sendJson(response, status, value);
    };
    if (route === 'upload') return uploadFile(request, body, response, answer);
    if (route === 'create') return createBatch(body, response, answer);
    const id = path.split('/')[3] as string;
    if (route === 'content') {
      const file = files.get(id);
      if (!file) return refuse(response, 404, `No such File object: ${id}`, null, 'id');
      if (fault?.kind === 'reset') resetConnection(response);
      else if (fault?.kind === 'cutMidBody') {
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.byteLength });
        response.write(file.bytes.subarray(0, Math.floor(file.bytes.byteLength / 2)), () => resetConnection(response));
      } else {
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.byteLength });
        response.end(file.bytes);
      }
      return true;
    }
    const batch = batches.get(id);
    if (!batch) return refuse(response, 404, `No batch found with id '${id}'.`, null, 'batch_id');
    if (route === 'cancel') {
      const status = statusOf(batch, Date.now());
      if (['completed', 'failed', 'expired', 'cancelled'].includes(status)) {
        return refuse(response, 409, `Cannot cancel a batch with status '${status}'.`);
      }
      batch.cancelRequestedAt ??= Date.now();
    }
    answer(200, batchObject(batch));
    return true;
  }

  function uploadFile(request: IncomingMessage, body: Buffer, response: ServerResponse, answer: (status: number, value: unknown) => void): boolean {
    const boundary = boundaryOf(request.headers['content-type']);
    let parts;
    try {
      if (boundary === undefined) throw new Error('not multipart/form-data');
      parts = parseMultipart(body, boundary);
    } catch (problem) {
      error(response, 400, `Invalid multipart body: ${(problem as Error).message}`);
      return true;
    }
    const purpose = parts.find((part) => part.name === 'purpose' && part.fileName === undefined)?.data.toString('utf8');
    const file = parts.find((part) => part.name === 'file' && part.fileName !== undefined);
    // expires_after[anchor] must be created_at, expires_after[seconds] 3600–2592000 (docs/providers.md §7.3).
    const field = (name: string): string | undefined => parts.find((part) => part.name === name && part.fileName === undefined)?.data.toString('utf8');
    const anchor = field('expires_after[anchor]');
    const seconds = field('expires_after[seconds]');
    let expiresAfterSeconds: number | undefined;
    if (anchor !== undefined || seconds !== undefined) {
      expiresAfterSeconds = Number(seconds);
      if (anchor !== 'created_at') return refuse(response, 400, "expires_after[anchor] must be 'created_at'.", null, 'expires_after');
      if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds < 3600 || expiresAfterSeconds > 2_592_000) return refuse(response, 400, 'expires_after[seconds] must be between 3600 and 2592000.', null, 'expires_after');
    }
    if (purpose === 'vision') {
      if (!file || !/\.(png|jpe?g|webp)$/.test(file.fileName ?? '')) return refuse(response, 400, 'A vision file must be a PNG, JPEG or WebP image.', null, 'file');
      const image: FakeBatchFile = { id: nextId('file'), purpose, filename: file.fileName as string, bytes: file.data, ...(expiresAfterSeconds === undefined ? {} : { expiresAfterSeconds }) };
      files.set(image.id, image);
      answer(200, { id: image.id, object: 'file', bytes: image.bytes.byteLength, created_at: Math.floor(Date.now() / 1000), filename: image.filename, purpose, status: 'processed' });
      return true;
    }
    if (purpose !== 'batch') return refuse(response, 400, `'${purpose ?? ''}' is not a valid purpose for this upload.`, null, 'purpose');
    if (!file || !/\.jsonl$/.test(file.fileName ?? '')) return refuse(response, 400, 'The file must be a .jsonl file.', null, 'file');
    const stored: FakeBatchFile = { id: nextId('file'), purpose, filename: file.fileName as string, bytes: file.data };
    files.set(stored.id, stored);
    answer(200, { id: stored.id, object: 'file', bytes: stored.bytes.byteLength, created_at: Math.floor(Date.now() / 1000), filename: stored.filename, purpose, status: 'processed' });
    return true;
  }

  function createBatch(body: Buffer, response: ServerResponse, answer: (status: number, value: unknown) => void): boolean {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return refuse(response, 400, 'We could not parse the JSON body of your request.');
    }
    const inputFileId = String(json.input_file_id ?? '');
    const endpoint = String(json.endpoint ?? '');
    if (!files.has(inputFileId)) return refuse(response, 400, `No such File object: ${inputFileId}`, null, 'input_file_id');
    if (endpoint !== '/v1/images/generations' && endpoint !== '/v1/images/edits') return refuse(response, 400, `Invalid endpoint '${endpoint}'.`, null, 'endpoint');
    if (json.completion_window !== '24h') return refuse(response, 400, "completion_window must be '24h'.", null, 'completion_window');
    const batch: FakeBatch = { id: nextId('batch'), inputFileId, endpoint, body: json, createdAt: Date.now() };
    batches.set(batch.id, batch);
    answer(200, batchObject(batch));
    return true;
  }

  return {
    files,
    batches,
    served,
    editInputs,
    get knobs() {
      return knobs;
    },
    enqueue: (...added) => {
      for (const fault of added) faults.push({ fault, remaining: fault.times ?? 1, skip: fault.skip ?? 0 });
    },
    configure: (changes) => {
      knobs = { ...knobs, ...changes };
    },
    handle,
    reset: () => {
      files.clear();
      batches.clear();
      served.clear();
      editInputs.clear();
      faults.length = 0;
      knobs = defaultKnobs();
    },
  };
}

/** The `purpose` field of a multipart upload, or undefined when the body is not one. */
function purposeOf(request: IncomingMessage, body: Buffer): string | undefined {
  const boundary = boundaryOf(request.headers['content-type']);
  if (boundary === undefined) return undefined;
  try {
    return parseMultipart(body, boundary).find((part) => part.name === 'purpose' && part.fileName === undefined)?.data.toString('utf8');
  } catch {
    return undefined;
  }
}

function seedOf(text: string): number {
  let hash = 7;
  for (const character of text) hash = (hash * 31 + (character.codePointAt(0) ?? 0)) % 1000;
  return hash;
}
