import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from './server';
import { delay, resetConnection, sendJson } from './server';

/**
 * Faults and knobs shared by the async fakes (Modellix, APIXO, the CDN): scriptable in-process
 * and over HTTP from another process (a CLI test, the real editor) through `/__control`,
 * `/__requests`, `/__release` and `/__reset`.
 */

/** One scripted misbehaviour, applied to the next `times` requests of its endpoint. */
export interface FakeFault {
  /** Endpoint it applies to: 'submit' | 'poll' | 'upload' | 'delete' | 'download', 'validate' (Modellix) | 'balance' (APIXO), or 'any'. */
  readonly on: string;
  /**
   * - status: answer HTTP `status` with `body` (default: the provider's error envelope);
   * - envelope: HTTP 200 whose envelope carries error `code` (U-M9 / APIXO's mirrored code);
   * - reset: drop the connection; on a submit, after the task was created (the unknown-outcome case);
   * - resetBefore: drop the connection before doing anything;
   * - noTaskId: a submit accepted (task created) but answered without a task id;
   * - notImage: the CDN serves an HTML page instead of the image;
   * - resetMidBody: the CDN starts the file (200, full Content-Length), then drops the connection halfway;
   * - stallMidBody: the CDN starts the file, then sends nothing more for `stallMs` (default: until the client leaves);
   * - closeMidBody: the CDN answers without Content-Length (a close-delimited body), sends half the file and closes:
   *   to HTTP that is a whole answer, only the image's own end shows it is short;
   * - truncatedFile: the CDN serves the first half of the file as if it were all of it (Content-Length of the half);
   * - delay: answer as usual, after `delayMs` (a slow submit).
   */
  readonly kind: 'status' | 'envelope' | 'reset' | 'resetBefore' | 'noTaskId' | 'notImage' | 'resetMidBody' | 'stallMidBody' | 'closeMidBody' | 'truncatedFile' | 'delay';
  /** stallMidBody: how long the rest of the file is held back. */
  readonly stallMs?: number;
  readonly status?: number;
  readonly code?: number;
  readonly message?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** How many matching requests it applies to (default 1). */
  readonly times?: number;
  /** Let this many matching requests through untouched first (e.g. fail only the second upload). */
  readonly skip?: number;
  /** Wait this long before acting (slow answers). */
  readonly delayMs?: number;
}

export class FaultQueue {
  private readonly faults: { fault: FakeFault; remaining: number; skip: number }[] = [];

  push(...faults: readonly FakeFault[]): void {
    for (const fault of faults) this.faults.push({ fault, remaining: fault.times ?? 1, skip: fault.skip ?? 0 });
  }

  /** The first pending fault for this endpoint, consumed once. */
  take(endpoint: string): FakeFault | undefined {
    const index = this.faults.findIndex((entry) => entry.fault.on === endpoint || entry.fault.on === 'any');
    if (index < 0) return undefined;
    const entry = this.faults[index] as { fault: FakeFault; remaining: number; skip: number };
    if (entry.skip > 0) {
      entry.skip -= 1;
      return undefined;
    }
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  clear(): void {
    this.faults.length = 0;
  }

  get pending(): number {
    return this.faults.length;
  }
}

/** A knob of the async fakes: a careless gateway that repeats the Authorization header in its 400/401 messages. */
export interface EchoKnob {
  echoAuthorization: boolean;
}

const echoingResponses = new WeakSet<ServerResponse>();

/** Called by a fake whose echoAuthorization knob is on, before it answers. */
export function echoAuthorizationIn(response: ServerResponse): void {
  echoingResponses.add(response);
}

/** `message`, plus the received Authorization value when this response echoes it and the status is 400 or 401. */
export function withEcho(response: ServerResponse, status: number, message: string): string {
  if (!echoingResponses.has(response) || (status !== 400 && status !== 401)) return message;
  return `${message} (received Authorization: ${response.req.headers.authorization ?? 'none'})`;
}

/** How an async fake (Modellix, APIXO) words the errors it injects. */
export interface FaultStyle {
  /** The provider's error body for an HTTP status, as its own 4xx answers look. */
  errorBody(status: number, message: string): unknown;
  /** Default message of an injected HTTP status. */
  statusMessage(status: number): string;
  /** Default message of an error code inside an HTTP 200 envelope. */
  readonly envelopeMessage: string;
}

/**
 * Takes the next fault for `endpoint` and answers the ones that answer by themselves (status,
 * envelope, resetBefore): then it returns 'answered'. A fault the handler applies once its work is
 * done (reset after the task exists, noTaskId) is returned as is; undefined when none is pending.
 */
export async function applyEnvelopeFault(
  faults: FaultQueue,
  endpoint: string,
  response: ServerResponse,
  style: FaultStyle,
): Promise<FakeFault | 'answered' | undefined> {
  const fault = faults.take(endpoint);
  if (!fault) return undefined;
  if (fault.delayMs) await delay(fault.delayMs);
  if (fault.kind === 'resetBefore') {
    resetConnection(response);
    return 'answered';
  }
  if (fault.kind === 'status') {
    const status = fault.status ?? 500;
    sendJson(response, status, fault.body ?? style.errorBody(status, withEcho(response, status, fault.message ?? style.statusMessage(status))), fault.headers);
    return 'answered';
  }
  if (fault.kind === 'envelope') {
    const code = fault.code ?? 500;
    sendJson(response, 200, { code, message: withEcho(response, code, fault.message ?? style.envelopeMessage), data: null }, fault.headers);
    return 'answered';
  }
  return fault;
}

/** A recorded request as `/__requests` lists it (JSON-safe). */
export interface RequestSummary {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bodySize: number;
  readonly bodySha256: string;
  /** The body as text when it is JSON or text; binary bodies are only summarised. */
  readonly bodyText?: string;
  readonly receivedAt: number;
}

export function isControlPath(url: string): boolean {
  return url.startsWith('/__');
}

/** The requests a client made, without the control calls. */
export function apiRequests(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((request) => !isControlPath(request.url));
}

export function summarize(request: RecordedRequest): RequestSummary {
  const type = String(request.headers['content-type'] ?? '');
  const textual = /json|text/i.test(type);
  return {
    method: request.method,
    url: request.url,
    headers: { ...request.headers },
    bodySize: request.body.byteLength,
    bodySha256: createHash('sha256').update(request.body).digest('hex'),
    ...(textual ? { bodyText: request.body.toString('utf8') } : {}),
    receivedAt: request.receivedAt,
  };
}

export interface ControlHooks<Knobs> {
  readonly faults: FaultQueue;
  readonly requests: () => readonly RecordedRequest[];
  setKnobs(knobs: Partial<Knobs>): void;
  release?(taskId: string | undefined): number;
  reset(): void;
}

/**
 * Answers the control routes; returns false for anything else. Control bodies are JSON:
 * `/__control` takes `{ "faults": [...], "knobs": {...} }`, `/__release` takes `{ "taskId"?: "..." }`.
 */
export function handleControl<Knobs>(request: IncomingMessage, body: Buffer, response: ServerResponse, hooks: ControlHooks<Knobs>): boolean {
  const path = (request.url ?? '/').split('?')[0];
  if (path === undefined || !isControlPath(path)) return false;
  const json = parseJsonObject(body);
  if (path === '/__requests' && request.method === 'GET') {
    sendJson(response, 200, { requests: apiRequests(hooks.requests()).map(summarize) });
  } else if (path === '/__control' && request.method === 'POST') {
    const faults = Array.isArray(json.faults) ? (json.faults as FakeFault[]) : [];
    hooks.faults.push(...faults);
    if (json.knobs !== null && typeof json.knobs === 'object') hooks.setKnobs(json.knobs as Partial<Knobs>);
    sendJson(response, 200, { ok: true, pendingFaults: hooks.faults.pending });
  } else if (path === '/__release' && request.method === 'POST' && hooks.release) {
    const released = hooks.release(typeof json.taskId === 'string' ? json.taskId : undefined);
    sendJson(response, 200, { ok: true, released });
  } else if (path === '/__reset' && request.method === 'POST') {
    hooks.reset();
    sendJson(response, 200, { ok: true });
  } else {
    sendJson(response, 404, { error: `unknown control route ${request.method} ${path}` });
  }
  return true;
}

export function parseJsonObject(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Accepts `Bearer <key>` where key equals `expected`, or (no expected key) any key starting with "sk-". */
export function isAuthorized(request: IncomingMessage, expected: string | undefined): boolean {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (.+)$/.exec(header) : null;
  if (!match) return false;
  return expected === undefined ? (match[1] as string).startsWith('sk-') : match[1] === expected;
}
