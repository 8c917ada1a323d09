import type { ServerResponse } from 'node:http';
import { asyncFakeState, serveAsyncFake } from './asyncFake';
import type { AsyncFake } from './asyncFake';
import type { FakeCdn } from './cdn';
import { applyEnvelopeFault, parseJsonObject, withEcho } from './control';
import type { EchoKnob, FaultStyle } from './control';
import { resetConnection, sendJson } from './server';
import { defaultTaskIdKnobs, submitAnswer, taskIdFor } from './taskIdAnswer';
import type { TaskIdKnobs } from './taskIdAnswer';
import { defaultTaskPlan, planFrom, resultUrlsFor } from './taskStore';
import type { TaskPlan } from './taskStore';

/**
 * A fake APIXO (docs/providers.md §6) on 127.0.0.1: POST /api/v1/generateTask/{model} and
 * GET /api/v1/statusTask/{model}?taskId=…, with results on the separate CDN origin. A failed task
 * answers HTTP 200 / code 200 with state "failed", failCode and failMsg, as the real one does.
 */
export interface ApixoKnobs extends TaskPlan, EchoKnob, TaskIdKnobs {
  /** The failCode a failed task reports. */
  failCode: string;
  /** Its failMsg; defaults to a text per code. */
  failMsg: string | undefined;
}

export const defaultApixoKnobs: ApixoKnobs = {
  ...defaultTaskPlan,
  ...defaultTaskIdKnobs('taskId'),
  echoAuthorization: false,
  failCode: 'CONTENT_VIOLATION',
  failMsg: undefined,
};

/** failMsg texts in APIXO's style for each documented failCode. */
export const apixoFailMessages: Readonly<Record<string, string>> = {
  CONTENT_VIOLATION: 'Content violates usage policy',
  INVALID_IMAGE_URL: 'Image URL is not accessible or not a valid image',
  INVALID_PARAMETER: 'Invalid parameter value',
  INSUFFICIENT_BALANCE: 'Insufficient balance',
  UPSTREAM_ERROR: 'Upstream provider error',
  TIMEOUT: 'Generation timed out',
};

export interface ApixoTaskDetail {
  readonly model: string;
  readonly body: Record<string, unknown>;
  readonly knobs: ApixoKnobs;
}

export type FakeApixo = AsyncFake<ApixoKnobs, ApixoTaskDetail>;

const aspects = ['auto', '1:1', '4:3', '3:4', '16:9', '9:16'];
const tiers = ['1k', '2k', '4k'];
const models = ['gpt-image-2'];

export async function startFakeApixo(options: { readonly cdn: FakeCdn; readonly apiKey?: string; readonly port?: number }): Promise<FakeApixo> {
  const { cdn } = options;
  const state = asyncFakeState<ApixoKnobs, ApixoTaskDetail>(defaultApixoKnobs, 'task_');
  const { faults, knobs, tasks } = state;

  async function handleSubmit(response: ServerResponse, model: string, body: Buffer): Promise<void> {
    if (!models.includes(model)) {
      envelope(response, 404, `Model ${model} not found`);
      return;
    }
    const fault = await applyEnvelopeFault(faults, 'submit', response, faultStyle);
    if (fault === 'answered') return;
    const json = parseJsonObject(body);
    const problem = checkApixoBody(json);
    if (problem) {
      envelope(response, 400, problem);
      return;
    }
    const task = tasks.create(planFrom(knobs), { model, body: json, knobs: { ...knobs } }, taskIdFor(knobs));
    if (fault?.kind === 'reset') {
      resetConnection(response);
      return;
    }
    sendJson(response, 200, submitAnswer({ code: 200, message: 'success' }, {}, fault?.kind === 'noTaskId' ? undefined : task.id, knobs));
  }

  async function handleStatus(response: ServerResponse, model: string, taskId: string | null): Promise<void> {
    if ((await applyEnvelopeFault(faults, 'poll', response, faultStyle)) === 'answered') return;
    const task = taskId ? tasks.get(taskId) : undefined;
    // The model in the path must match the submit's (docs/providers.md §6.2).
    if (!task || task.detail.model !== model) {
      envelope(response, 404, 'Task not found');
      return;
    }
    const phase = tasks.poll(task);
    const data: Record<string, unknown> = { taskId: task.id, state: phase, createTime: task.createdAt };
    if (phase === 'success') {
      const input = task.detail.body.input as Record<string, unknown>;
      const { width, height } = nominalPixels(String(input.aspect_ratio), String(input.resolution));
      const resultUrls = resultUrlsFor(task, cdn, width, height);
      Object.assign(data, { resultJson: JSON.stringify({ resultUrls }), costTime: Date.now() - task.createdAt, completeTime: Date.now() });
    } else if (phase === 'failed') {
      const failCode = task.detail.knobs.failCode;
      Object.assign(data, { failCode, failMsg: task.detail.knobs.failMsg ?? apixoFailMessages[failCode] ?? 'Task failed', completeTime: Date.now() });
    }
    sendJson(response, 200, { code: 200, message: 'success', data });
  }

  return serveAsyncFake(state, {
    apiKey: options.apiKey,
    port: options.port,
    unauthorized: (response) => envelope(response, 401, 'Invalid API key'),
    route: async (request, url, body, response) => {
      const submit = /^\/api\/v1\/generateTask\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'POST' && submit) return handleSubmit(response, decodeURIComponent(submit[1] as string), body);
      const status = /^\/api\/v1\/statusTask\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'GET' && status) return handleStatus(response, decodeURIComponent(status[1] as string), url.searchParams.get('taskId'));
      // The free balance read Check Setup sends (docs/providers.md §2.9); fault endpoint 'balance'.
      if (request.method === 'GET' && url.pathname === '/api/v1/apikeys/current-balance') {
        if ((await applyEnvelopeFault(faults, 'balance', response, faultStyle)) === 'answered') return;
        return sendJson(response, 200, { code: 200, message: 'success', data: 74.87 });
      }
      envelope(response, 404, 'Not found');
    },
  });
}

function errorBody(status: number, message: string): Record<string, unknown> {
  return { code: status, message, data: null };
}

const faultStyle: FaultStyle = { errorBody, statusMessage: (status) => `Injected ${status}`, envelopeMessage: 'Injected error' };

function envelope(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, errorBody(status, withEcho(response, status, message)));
}

/** The documented body (docs/providers.md §6.3); returns what is wrong, or undefined. */
export function checkApixoBody(body: Record<string, unknown>): string | undefined {
  const extra = Object.keys(body).filter((key) => !['request_type', 'callback_url', 'provider', 'input'].includes(key));
  if (extra.length > 0) return `Invalid parameter: ${extra.join(', ')}`;
  if (body.request_type !== 'async') return 'request_type must be "async" (callback is not supported by this fake)';
  const input = body.input;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return 'input is required';
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !['mode', 'prompt', 'image_urls', 'aspect_ratio', 'resolution'].includes(key));
  if (unknown.length > 0) return `Invalid parameter: input.${unknown.join(', input.')}`;
  if (fields.mode !== 'text-to-image' && fields.mode !== 'image-to-image') return 'input.mode must be text-to-image or image-to-image';
  if (typeof fields.prompt !== 'string' || fields.prompt.length < 1 || fields.prompt.length > 20000) return 'input.prompt must be 1-20000 characters';
  if (fields.aspect_ratio !== undefined && !aspects.includes(String(fields.aspect_ratio))) return 'invalid input.aspect_ratio';
  if (fields.resolution !== undefined && !tiers.includes(String(fields.resolution))) return 'invalid input.resolution';
  const urls = fields.image_urls;
  if (fields.mode === 'image-to-image') {
    if (!Array.isArray(urls) || urls.length < 1 || urls.length > 16) return 'input.image_urls must hold 1-16 URLs for image-to-image';
    if (!urls.every((url) => typeof url === 'string' && /^https?:\/\//.test(url))) return 'input.image_urls must be public URLs';
  } else if (urls !== undefined) {
    return 'input.image_urls is only for image-to-image';
  }
  return undefined;
}

/** Pixels we pretend a tier × aspect has (APIXO does not document them, U-A1). */
function nominalPixels(aspect: string, tier: string): { width: number; height: number } {
  const long = tier === '4k' ? 3840 : tier === '2k' ? 2048 : 1024;
  const [w, h] = aspect === 'auto' ? [1, 1] : aspect.split(':').map(Number);
  const ratio = (w ?? 1) / (h ?? 1);
  return ratio >= 1 ? { width: long, height: Math.round(long / ratio) } : { width: Math.round(long * ratio), height: long };
}
