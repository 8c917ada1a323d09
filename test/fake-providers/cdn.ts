import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue, apiRequests, handleControl } from './control';
import type { FakeFault } from './control';
import { delay, resetConnection, sendJson, startLoopbackServer } from './server';
import type { LoopbackServer, RecordedRequest } from './server';

/**
 * The result host: a SECOND origin (another port) serving the images the async fakes produce,
 * as Modellix's file.modellix.ai and cdn.apixo.ai do. It records whether any request ever carried
 * an Authorization header: the API key must never reach it.
 */
export interface FakeCdn {
  readonly origin: string;
  readonly server: LoopbackServer;
  readonly faults: FaultQueue;
  /**
   * Stores bytes and returns their URL on this origin. `signed`: the URL carries an S3-style
   * presigned query (X-Amz-Credential, X-Amz-Signature, …) and is refused with 403 without it.
   */
  put(bytes: Uint8Array, options?: { readonly extension?: string; readonly contentType?: string; readonly signed?: boolean }): string;
  /** A URL on this origin that answers 302 `hops` times before reaching `url` (which must be on this origin). */
  redirectTo(url: string, hops?: number): string;
  /** Whether any request (control routes aside) carried an Authorization header. */
  sawAuthorization(): boolean;
  /** Requests made by clients, control calls left out. */
  requests(): RecordedRequest[];
  /** Forgets faults and recorded requests; stored files stay. */
  reset(): void;
  close(): Promise<void>;
}

interface StoredFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** The X-Amz-Signature a GET must carry, for signed files. */
  readonly signature?: string;
}

/** The query of a presigned S3 GET, as AWS SDKs write it (the credential and signature are fake). */
function presignedQuery(signature: string): string {
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'AKIAFAKEFAKEFAKE0000/20260101/us-east-1/s3/aws4_request',
    'X-Amz-Date': '20260101T000000Z',
    'X-Amz-Expires': '86400',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': signature,
  });
  return query.toString();
}

const typesByExtension: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };

export async function startFakeCdn(options: { readonly port?: number } = {}): Promise<FakeCdn> {
  const files = new Map<string, StoredFile>();
  const faults = new FaultQueue();
  const requests = (): RecordedRequest[] => apiRequests(server.requests ?? []);

  const handler = async (request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> => {
    const hooks = { faults, requests, setKnobs: () => undefined, reset: () => reset() };
    if (handleControl(request, body, response, hooks)) return;
    const requested = new URL(request.url ?? '/', 'http://cdn');
    const path = requested.pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: 'method not allowed' });
      return;
    }
    const redirect = /^\/redirect\/(\d+)\/(.+)$/.exec(path);
    if (redirect) {
      const hops = Number(redirect[1]);
      const rest = redirect[2] as string;
      const location = hops > 1 ? `/redirect/${hops - 1}/${rest}` : `/${rest}`;
      response.writeHead(302, { location, 'content-length': 0 });
      response.end();
      return;
    }
    const fault = faults.take('download');
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault && answerFault(fault, response)) return;
    const stored = files.get(path);
    if (!stored) {
      sendJson(response, 404, { error: 'NoSuchKey' });
      return;
    }
    if (stored.signature !== undefined && requested.searchParams.get('X-Amz-Signature') !== stored.signature) {
      sendJson(response, 403, { error: 'AccessDenied', message: 'Request has expired or its signature does not match' });
      return;
    }
    if ((fault?.kind === 'closeMidBody' || fault?.kind === 'truncatedFile') && request.method === 'GET') return sendShortBody(fault, Buffer.from(stored.bytes), stored.contentType, response);
    response.writeHead(200, { 'content-type': stored.contentType, 'content-length': stored.bytes.byteLength, 'cache-control': 'max-age=86400' });
    if ((fault?.kind === 'resetMidBody' || fault?.kind === 'stallMidBody') && request.method === 'GET') return sendBrokenBody(fault, Buffer.from(stored.bytes), response);
    response.end(request.method === 'HEAD' ? undefined : Buffer.from(stored.bytes));
  };

  const server: LoopbackServer = await startLoopbackServer(handler, options.port ?? 0);
  const origin = server.origin;

  function reset(): void {
    faults.clear();
    server.requests.splice(0);
  }

  return {
    origin,
    server,
    faults,
    put(bytes, fileOptions = {}) {
      const extension = fileOptions.extension ?? 'png';
      const path = `/files/${randomUUID()}.${extension}`;
      const signature = fileOptions.signed ? randomBytes(32).toString('hex') : undefined;
      files.set(path, { bytes, contentType: fileOptions.contentType ?? typesByExtension[extension] ?? 'application/octet-stream', signature });
      return `${origin}${path}${signature === undefined ? '' : `?${presignedQuery(signature)}`}`;
    },
    redirectTo(url, hops = 1) {
      const target = new URL(url);
      if (target.origin !== origin) throw new Error('the fake CDN only redirects to itself');
      return `${origin}/redirect/${Math.max(1, hops)}${target.pathname}`;
    },
    sawAuthorization: () => requests().some((request) => request.headers.authorization !== undefined),
    requests,
    reset,
    close: () => server.close(),
  };
}

/** The first half of the file, then a reset or a stall (the headers are already out). */
async function sendBrokenBody(fault: FakeFault, bytes: Buffer, response: ServerResponse): Promise<void> {
  const half = bytes.subarray(0, Math.floor(bytes.byteLength / 2));
  await new Promise<void>((resolve) => response.write(half, () => resolve()));
  if (fault.kind === 'resetMidBody') return resetConnection(response);
  await new Promise<void>((resolve) => {
    const timer = fault.stallMs === undefined ? undefined : setTimeout(done, fault.stallMs);
    response.once('close', done);
    function done(): void {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    }
  });
  if (!response.destroyed) response.end(bytes.subarray(half.byteLength));
}

/**
 * Half the file as a 200 that HTTP considers whole: close-delimited (no Content-Length, written on the
 * raw socket, since Node would otherwise chunk it) or with a Content-Length that matches the half.
 */
function sendShortBody(fault: FakeFault, bytes: Buffer, contentType: string, response: ServerResponse): void {
  const half = bytes.subarray(0, Math.floor(bytes.byteLength / 2));
  if (fault.kind === 'truncatedFile') {
    response.writeHead(200, { 'content-type': contentType, 'content-length': half.byteLength });
    response.end(half);
    return;
  }
  const socket = response.socket;
  if (!socket) return;
  socket.write(`HTTP/1.1 200 OK\r\ncontent-type: ${contentType}\r\nconnection: close\r\n\r\n`);
  socket.end(half);
}

function answerFault(fault: FakeFault, response: ServerResponse): boolean {
  switch (fault.kind) {
    case 'reset':
    case 'resetBefore':
      resetConnection(response);
      return true;
    case 'notImage': {
      const html = '<!DOCTYPE html><html><body>Access denied</body></html>';
      response.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html) });
      response.end(html);
      return true;
    }
    case 'status':
      sendJson(response, fault.status ?? 500, fault.body ?? { error: fault.message ?? 'fault' }, fault.headers);
      return true;
    default:
      return false;
  }
}
