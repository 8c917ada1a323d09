import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asyncFakeState, serveAsyncFake } from './asyncFake';
import type { AsyncFake } from './asyncFake';
import type { FakeCdn } from './cdn';
import { applyEnvelopeFault, parseJsonObject, withEcho } from './control';
import type { EchoKnob, FaultStyle } from './control';
import { boundaryOf, parseMultipart } from './multipartParser';
import type { ParsedPart } from './multipartParser';
import { resetConnection, sendJson } from './server';
import { defaultTaskIdKnobs, submitAnswer, taskIdFor } from './taskIdAnswer';
import type { TaskIdKnobs } from './taskIdAnswer';
import { defaultTaskPlan, planFrom, resultUrlsFor } from './taskStore';
import type { FakeTask, TaskPlan } from './taskStore';

/**
 * A fake Modellix (docs/providers.md §5) on 127.0.0.1: submit under /api/v1/openai/<model>[/async],
 * poll /api/v1/tasks/{id}, upload /api/v1/media/files, delete /api/v1/media/files/{id}. Results
 * and uploads live on the separate CDN origin. It is strict where the docs are: unknown body
 * fields, sizes off the preset list and non-URL images are refused with 400.
 */
export interface ModellixKnobs extends TaskPlan, EchoKnob, TaskIdKnobs {
  /** 'notFound' makes the documented `/async` path answer 404 (exercises the U-M1 fallback). */
  asyncPath: 'ok' | 'notFound';
  plainPath: 'ok' | 'notFound';
  /** The word a finished task reports (U-M8 variants: success, succeeded, completed, done). */
  successStatus: string;
  /** The word a failed task reports (failed, error, canceled, cancelled). */
  failedStatus: string;
  /** When set, the word a task still running reports instead of pending/processing (any text: hostile strings). */
  runningStatus: string | undefined;
  /** Extra fields merged into a failed task's `data` (e.g. { error: { message: '...' } }). */
  failure: Record<string, unknown>;
  /** Where resources sit: data.result.resources of {url} (documented), data.resources, or plain strings. */
  resourceShape: 'result' | 'flat' | 'strings';
  /** Optional data.result_expires_at value to report. */
  resultExpiresAt: unknown;
  /** Uploaded files get presigned CDN URLs (the CDN refuses them without the signature). */
  signedUploads: boolean;
}

export const defaultModellixKnobs: ModellixKnobs = {
  ...defaultTaskPlan,
  ...defaultTaskIdKnobs('task_id'),
  echoAuthorization: false,
  asyncPath: 'ok',
  plainPath: 'ok',
  successStatus: 'success',
  failedStatus: 'failed',
  runningStatus: undefined,
  failure: { error: { message: 'Generation failed: the model could not produce an image' } },
  resourceShape: 'result',
  resultExpiresAt: undefined,
  signedUploads: false,
};

export interface ModellixTaskDetail {
  readonly modelPath: string;
  readonly body: Record<string, unknown>;
  readonly knobs: ModellixKnobs;
}

export interface FakeModellix extends AsyncFake<ModellixKnobs, ModellixTaskDetail> {
  /** Uploaded files by id, with their bytes; `deleted` once DELETE arrived. */
  readonly uploads: Map<string, { bytes: Buffer; fileName: string | undefined; contentType: string | undefined; url: string; deleted: boolean }>;
}

const presets2 = ['1024x1024', '1536x1024', '1024x1536', '2048x2048', '2048x1152', '3840x2160', '2160x3840'];
const presets15 = ['1024x1024', '1536x1024', '1024x1536'];
const allowedFields: Readonly<Record<string, readonly string[]>> = {
  'gpt-image-2': ['prompt', 'size', 'quality'],
  'gpt-image-2-edit': ['prompt', 'size', 'quality', 'images'],
  'gpt-image-1.5': ['prompt', 'size', 'quality', 'background'],
  'gpt-image-1.5-edit': ['prompt', 'size', 'quality', 'background', 'images', 'input_fidelity'],
};

export async function startFakeModellix(options: { readonly cdn: FakeCdn; readonly apiKey?: string; readonly port?: number }): Promise<FakeModellix> {
  const { cdn } = options;
  const state = asyncFakeState<ModellixKnobs, ModellixTaskDetail>(defaultModellixKnobs, 'task-');
  const { faults, knobs, tasks } = state;
  const uploads: FakeModellix['uploads'] = new Map();

  async function handleSubmit(response: ServerResponse, modelPath: string, viaAsync: boolean, body: Buffer): Promise<void> {
    if ((viaAsync ? knobs.asyncPath : knobs.plainPath) === 'notFound' || allowedFields[modelPath] === undefined) {
      envelope(response, 404, `Not Found: model openai/${modelPath}${viaAsync ? '/async' : ''} does not exist`);
      return;
    }
    const fault = await applyEnvelopeFault(faults, 'submit', response, faultStyle);
    if (fault === 'answered') return;
    const json = parseJsonObject(body);
    const problem = checkSubmitBody(modelPath, json);
    if (problem) {
      envelope(response, 400, `Bad Request: ${problem}`);
      return;
    }
    const task = tasks.create(planFrom(knobs), { modelPath, body: json, knobs: { ...knobs } }, taskIdFor(knobs));
    if (fault?.kind === 'reset') {
      resetConnection(response);
      return;
    }
    const data: Record<string, unknown> = { status: 'pending', model_id: modelPath };
    sendJson(response, 200, submitAnswer({ code: 0, message: 'success' }, data, fault?.kind === 'noTaskId' ? undefined : task.id, knobs));
  }

  async function handlePoll(response: ServerResponse, taskId: string): Promise<void> {
    if ((await applyEnvelopeFault(faults, 'poll', response, faultStyle)) === 'answered') return;
    const task = tasks.get(taskId);
    if (!task) {
      envelope(response, 404, `Not Found: task ${taskId} does not exist`);
      return;
    }
    const phase = tasks.poll(task);
    const data: Record<string, unknown> = { task_id: task.id, model_id: task.detail.modelPath };
    if (phase === 'success') {
      data.status = task.detail.knobs.successStatus;
      const [width, height] = String(task.detail.body.size ?? '1024x1024').split('x').map(Number);
      const urls = resultUrlsFor(task, cdn, width ?? 1024, height ?? 1024);
      const resources = task.detail.knobs.resourceShape === 'strings' ? urls : urls.map((url) => ({ url, type: 'image', format: 'png', role: 'primary' }));
      if (task.detail.knobs.resourceShape === 'result') data.result = { resources };
      else data.resources = resources;
      if (task.detail.knobs.resultExpiresAt !== undefined) data.result_expires_at = task.detail.knobs.resultExpiresAt;
    } else if (phase === 'failed') {
      Object.assign(data, task.detail.knobs.failure, { status: task.detail.knobs.failedStatus });
    } else {
      data.status = task.detail.knobs.runningStatus ?? phase;
    }
    sendJson(response, 200, { code: 0, message: 'success', data });
  }

  async function handleUpload(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    const fault = await applyEnvelopeFault(faults, 'upload', response, faultStyle);
    if (fault === 'answered') return;
    const boundary = boundaryOf(request.headers['content-type']);
    if (!boundary) {
      envelope(response, 400, 'Bad Request: expected multipart/form-data');
      return;
    }
    let parts: ParsedPart[];
    try {
      parts = parseMultipart(body, boundary);
    } catch (error) {
      envelope(response, 400, `Bad Request: ${(error as Error).message}`);
      return;
    }
    const file = parts.length === 1 && parts[0]?.name === 'file' ? parts[0] : undefined;
    if (!file || file.fileName === undefined) {
      envelope(response, 400, 'Bad Request: exactly one file part named "file" is required');
      return;
    }
    const type = file.contentType ?? '';
    if (!['image/png', 'image/jpeg', 'image/webp'].includes(type) || file.data.byteLength === 0 || file.data.byteLength > 16 * 1024 * 1024) {
      envelope(response, 400, 'Bad Request: only PNG, JPEG or WebP files of 1 byte to 16 MiB');
      return;
    }
    const fileId = `file-${randomBytes(6).toString('hex')}`;
    const extension = type === 'image/jpeg' ? 'jpg' : type.replace('image/', '');
    const url = cdn.put(Buffer.from(file.data), { extension, signed: knobs.signedUploads });
    uploads.set(fileId, { bytes: Buffer.from(file.data), fileName: file.fileName, contentType: file.contentType, url, deleted: false });
    if (fault?.kind === 'reset') {
      resetConnection(response);
      return;
    }
    const data = { file_id: fileId, type, url, filename: file.fileName, size: file.data.byteLength, created_at: new Date().toISOString() };
    sendJson(response, 200, { code: 0, message: 'success', data });
  }

  async function handleDelete(response: ServerResponse, fileId: string): Promise<void> {
    if ((await applyEnvelopeFault(faults, 'delete', response, faultStyle)) === 'answered') return;
    const upload = uploads.get(fileId);
    if (!upload || upload.deleted) {
      envelope(response, 404, `Not Found: file ${fileId} does not exist`);
      return;
    }
    upload.deleted = true;
    response.writeHead(204);
    response.end();
  }

  const fake = await serveAsyncFake(state, {
    apiKey: options.apiKey,
    port: options.port,
    unauthorized: (response) => envelope(response, 401, 'Unauthorized: invalid or missing API key'),
    onReset: () => uploads.clear(),
    route: async (request, url, body, response) => {
      const path = url.pathname;
      const submit = /^\/api\/v1\/openai\/([a-z0-9.-]+?)(\/async)?$/.exec(path);
      if (request.method === 'POST' && submit) return handleSubmit(response, submit[1] as string, submit[2] !== undefined, body);
      const poll = /^\/api\/v1\/tasks\/([^/]+)$/.exec(path);
      if (request.method === 'GET' && poll) return handlePoll(response, decodeURIComponent(poll[1] as string));
      if (request.method === 'POST' && path === '/api/v1/media/files') return handleUpload(request, response, body);
      // The free key check Check Setup sends (docs/providers.md §2.9); fault endpoint 'validate'.
      if (request.method === 'GET' && path === '/api/v1/apikey/validate') {
        if ((await applyEnvelopeFault(faults, 'validate', response, faultStyle)) === 'answered') return;
        return sendJson(response, 200, { code: 0, message: 'success', data: { is_valid: true } });
      }
      const remove = /^\/api\/v1\/media\/files\/([^/]+)$/.exec(path);
      if (request.method === 'DELETE' && remove) return handleDelete(response, decodeURIComponent(remove[1] as string));
      envelope(response, 404, `Not Found: no route ${request.method} ${path}`);
    },
  });
  return { ...fake, uploads };
}

function errorBody(status: number, message: string): Record<string, unknown> {
  return { code: status, message };
}

const faultStyle: FaultStyle = { errorBody, statusMessage: (status) => `Error: injected ${status}`, envelopeMessage: 'Error: injected' };

function envelope(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, errorBody(status, withEcho(response, status, message)));
}

/** The documented request schema (docs/providers.md §5.3); returns what is wrong, or undefined. */
export function checkSubmitBody(modelPath: string, body: Record<string, unknown>): string | undefined {
  const allowed = allowedFields[modelPath] ?? [];
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) return `unknown parameter(s) ${unknown.join(', ')}`;
  if (typeof body.prompt !== 'string' || body.prompt.length < 1 || body.prompt.length > 32000) return 'prompt must be 1-32000 characters';
  const presets = modelPath.startsWith('gpt-image-2') ? presets2 : presets15;
  if (body.size !== undefined && !presets.includes(String(body.size))) return `size must be one of ${presets.join(', ')}`;
  if (body.quality !== undefined && !['low', 'medium', 'high'].includes(String(body.quality))) return 'quality must be low, medium or high';
  if (body.background !== undefined && !['transparent', 'opaque', 'auto'].includes(String(body.background))) return 'invalid background';
  if (modelPath.endsWith('-edit')) {
    const images = body.images;
    if (!Array.isArray(images) || images.length < 1 || images.length > 16) return 'images must hold 1-16 URLs';
    if (!images.every((image) => typeof image === 'string' && /^(https:\/\/|http:\/\/127\.0\.0\.1[:/])/.test(image))) return 'images must be direct HTTPS URLs';
  }
  return undefined;
}

/** For tests: the tasks this fake created, oldest first. */
export function createdTasks(fake: FakeModellix): FakeTask<ModellixTaskDetail>[] {
  return fake.tasks.all();
}
