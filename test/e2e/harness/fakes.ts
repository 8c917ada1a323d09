import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakesMain } from './paths';
import { spawnGroup, waitFor } from './processes';
import type { GroupProcess } from './processes';

export type FakeName = 'openai' | 'gravitex' | 'modellix' | 'apixo' | 'cdn';

/** One fake as test/fake-providers/main.ts reports it in its ports file. */
export interface FakeEndpoint {
  /** `http://127.0.0.1:PORT`: where `/__requests`, `/__control`, `/__release`, `/__reset` live. */
  readonly origin: string;
  /** What the extension's `gptImage.<provider>.baseUrl` setting should say. */
  readonly baseUrl: string;
}

/** The ports file main.ts writes once every fake listens. */
export interface FakesInfo {
  readonly fakes: Partial<Record<FakeName, FakeEndpoint>>;
}

/** A request as a fake's `GET /__requests` returns it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body as text (multipart and JSON bodies are what tests look at). */
  readonly body?: string;
}

export interface ServedImage {
  readonly bytes: number;
  readonly sha256: string;
}

/** The fake providers running in their own process, scripted over HTTP like another process would. */
export interface Fakes {
  readonly portsFile: string;
  readonly info: FakesInfo;
  endpoint(name: FakeName): FakeEndpoint;
  requests(name: FakeName): Promise<SeenRequest[]>;
  /** The images an OpenAI-style fake served (`/__served`), in order. */
  served(name: 'openai' | 'gravitex'): Promise<ServedImage[]>;
  /** Sends a `/__control` command (latency, faults, holding tasks: see the fake's source). */
  control(name: FakeName, command: Record<string, unknown>): Promise<void>;
  release(name: FakeName, body?: Record<string, unknown>): Promise<void>;
  /** Clears every fake's recorded requests and knobs. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const providerNames = ['openai', 'gravitex', 'modellix', 'apixo'] as const;

interface WireRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bodyBase64?: string;
  readonly bodyText?: string;
}

/**
 * The fakes list requests in two shapes: the OpenAI-style fake answers an array with `bodyBase64`,
 * the async fakes (control.ts) `{ requests: [...] }` with `bodyText` for textual bodies.
 */
function normalizeRequests(json: unknown): SeenRequest[] {
  const list = (Array.isArray(json) ? json : (json as { requests: WireRequest[] }).requests) as WireRequest[];
  return list.map((request) => ({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.bodyText ?? (request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, 'base64').toString('latin1') : undefined),
  }));
}

/** User settings pointing every provider the fakes serve at its fake. */
export function fakeSettings(fakes: Fakes): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const name of providerNames) {
    const endpoint = fakes.info.fakes[name];
    if (endpoint) settings[`gptImage.${name}.baseUrl`] = endpoint.baseUrl;
  }
  return settings;
}

async function post(url: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
}

/** Starts `node out/test/fake-providers/main.js --ports-file …` and reads where each fake listens. */
export async function startFakes(options: { readonly stdout?: boolean } = {}): Promise<Fakes> {
  const dir = mkdtempSync(join(tmpdir(), 'gis-fakes-'));
  const portsFile = join(dir, 'fakes.json');
  const group: GroupProcess = spawnGroup(process.execPath, [fakesMain, '--ports-file', portsFile], { stdio: ['ignore', options.stdout ? 'inherit' : 'ignore', 'inherit'] });
  const info = await waitFor('the fake providers\' ports file', () => {
    if (group.child.exitCode !== null) throw new Error(`the fake providers exited with ${group.child.exitCode}`);
    try {
      return JSON.parse(readFileSync(portsFile, 'utf8')) as FakesInfo;
    } catch {
      return undefined;
    }
  }, 20000);
  const endpoint = (name: FakeName): FakeEndpoint => {
    const found = info.fakes[name];
    if (!found) throw new Error(`no fake ${name} is running`);
    return found;
  };
  return {
    portsFile,
    info,
    endpoint,
    requests: async (name) => {
      const response = await fetch(`${endpoint(name).origin}/__requests`);
      if (!response.ok) throw new Error(`GET /__requests on ${name}: ${response.status}`);
      return normalizeRequests(await response.json());
    },
    served: async (name) => {
      const response = await fetch(`${endpoint(name).origin}/__served`);
      if (!response.ok) throw new Error(`GET /__served on ${name}: ${response.status}`);
      return (await response.json()) as ServedImage[];
    },
    control: (name, command) => post(`${endpoint(name).origin}/__control`, command),
    release: (name, body = {}) => post(`${endpoint(name).origin}/__release`, body),
    reset: async () => {
      for (const found of Object.values(info.fakes)) await post(`${found.origin}/__reset`, {});
    },
    stop: async () => {
      await group.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The file on disk holds exactly the one image the fake served: same bytes, not just a valid PNG. */
export async function assertSavedExactlyServed(fakes: Fakes, name: 'openai' | 'gravitex', bytes: Uint8Array): Promise<void> {
  const served = await fakes.served(name);
  assert.equal(served.length, 1, 'the fake served one image');
  assert.equal(createHash('sha256').update(bytes).digest('hex'), served[0]?.sha256, 'the file holds exactly the bytes the fake served');
}
