import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue, apiRequests, echoAuthorizationIn, handleControl, isAuthorized } from './control';
import type { EchoKnob } from './control';
import type { FakeFault } from './control';
import { startLoopbackServer } from './server';
import type { LoopbackServer, RecordedRequest } from './server';
import { FakeTaskStore } from './taskStore';
import type { TaskPlan } from './taskStore';

/** What every submit-then-poll fake (Modellix, APIXO) offers besides its own routes. */
export interface AsyncFake<Knobs extends TaskPlan & EchoKnob, Detail> {
  readonly origin: string;
  /** What the provider's base URL setting must say: origin + /api/v1. */
  readonly baseUrl: string;
  readonly server: LoopbackServer;
  readonly faults: FaultQueue;
  readonly knobs: Knobs;
  readonly tasks: FakeTaskStore<Detail>;
  fault(...faults: readonly FakeFault[]): void;
  setKnobs(knobs: Partial<Knobs>): void;
  release(taskId?: string): number;
  /** Client requests, control calls left out. */
  requests(): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

/** The state a fake's routes work on; made before its server runs so the routes can close over it. */
export interface AsyncFakeState<Knobs extends TaskPlan & EchoKnob, Detail> {
  readonly defaults: Knobs;
  readonly faults: FaultQueue;
  readonly knobs: Knobs;
  readonly tasks: FakeTaskStore<Detail>;
}

export function asyncFakeState<Knobs extends TaskPlan & EchoKnob, Detail>(defaults: Knobs, taskIdPrefix: string): AsyncFakeState<Knobs, Detail> {
  return { defaults, faults: new FaultQueue(), knobs: { ...defaults }, tasks: new FakeTaskStore<Detail>(taskIdPrefix) };
}

/**
 * Starts the fake's loopback server: control routes (`/__control`, `/__requests`, `/__release`,
 * `/__reset`) first, then the key check, then the fake's own `route`.
 */
export async function serveAsyncFake<Knobs extends TaskPlan & EchoKnob, Detail>(
  state: AsyncFakeState<Knobs, Detail>,
  options: {
    readonly apiKey?: string | undefined;
    readonly port?: number | undefined;
    /** The provider's answer to a missing or wrong key. */
    readonly unauthorized: (response: ServerResponse) => void;
    readonly route: (request: IncomingMessage, url: URL, body: Buffer, response: ServerResponse) => Promise<void>;
    /** Clears what the fake keeps besides tasks (uploads). */
    readonly onReset?: () => void;
  },
): Promise<AsyncFake<Knobs, Detail>> {
  const { faults, knobs, tasks } = state;
  const requests = (): RecordedRequest[] => apiRequests(server.requests);
  const reset = (): void => {
    faults.clear();
    Object.assign(knobs, state.defaults);
    tasks.clear();
    options.onReset?.();
    server.requests.splice(0);
  };
  const setKnobs = (update: Partial<Knobs>): void => void Object.assign(knobs, update);
  const release = (taskId?: string): number => tasks.release(taskId);

  const server: LoopbackServer = await startLoopbackServer(async (request, body, response) => {
    if (handleControl(request, body, response, { faults, requests, setKnobs, release, reset })) return;
    if (knobs.echoAuthorization) echoAuthorizationIn(response);
    if (!isAuthorized(request, options.apiKey)) {
      options.unauthorized(response);
      return;
    }
    await options.route(request, new URL(request.url ?? '/', 'http://fake'), body, response);
  }, options.port ?? 0);
  return {
    origin: server.origin,
    baseUrl: `${server.origin}/api/v1`,
    server,
    faults,
    knobs,
    tasks,
    fault: (...list) => faults.push(...list),
    setKnobs,
    release,
    requests,
    reset,
    close: () => server.close(),
  };
}
