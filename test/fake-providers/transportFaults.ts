import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * Faults below HTTP, on 127.0.0.1 only, for proving which failures happen before a request leaves
 * the machine: a proxy that refuses every CONNECT and never forwards anything, and a "TLS" server
 * that answers a handshake with garbage.
 */

export interface FakeProxy {
  /** `http://127.0.0.1:PORT`, for http.proxy / HTTPS_PROXY. */
  readonly url: string;
  /** Every CONNECT target (`host:port`) asked for, in order. */
  readonly connects: string[];
  /** Every plain (absolute-form) request asked for: `METHOD url`. */
  readonly forwards: string[];
  close(): Promise<void>;
}

/**
 * `refuse`: every CONNECT gets this status (407 asks for credentials, 403 forbids, 502 stands for
 * "cannot resolve or reach the host"). `tunnelTo`: every CONNECT, whatever host it names, is
 * tunnelled to this port on 127.0.0.1, so a request through a working proxy is tested without
 * leaving loopback. `hold`: every CONNECT is accepted on the socket and never answered (a proxy
 * that hangs: the request stays "connecting"). A plain (absolute-form) request always gets 403:
 * nothing is forwarded that way.
 */
export type FakeProxyMode = { readonly refuse: 403 | 407 | 502 } | { readonly tunnelTo: number } | { readonly hold: true };

export async function startFakeProxy(mode: FakeProxyMode): Promise<FakeProxy> {
  const connects: string[] = [];
  const forwards: string[] = [];
  const held = new Set<Socket>();
  const server = createHttpServer((request: IncomingMessage, response) => {
    forwards.push(`${request.method ?? ''} ${request.url ?? ''}`);
    request.resume();
    response.writeHead(403, { 'content-length': 0, connection: 'close' });
    response.end();
  });
  server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    connects.push(request.url ?? '');
    socket.on('error', () => undefined);
    if ('tunnelTo' in mode) {
      const upstream = connect(mode.tunnelTo, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.byteLength > 0) upstream.write(head);
        socket.pipe(upstream).pipe(socket);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
      return;
    }
    if ('hold' in mode) {
      held.add(socket);
      return;
    }
    const connectStatus = mode.refuse;
    const reason = connectStatus === 407 ? 'Proxy Authentication Required' : connectStatus === 403 ? 'Forbidden' : 'Bad Gateway';
    const challenge = connectStatus === 407 ? 'Proxy-Authenticate: Basic realm="test"\r\n' : '';
    socket.end(`HTTP/1.1 ${connectStatus} ${reason}\r\n${challenge}Content-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  const listening = await listen(server);
  return {
    ...listening,
    connects,
    forwards,
    close: async () => {
      for (const socket of held) socket.destroy();
      await listening.close();
    },
  };
}

export interface NotTlsServer {
  /** `https://127.0.0.1:PORT`: the handshake gets plain text back. */
  readonly origin: string;
  /** Bytes each connection sent before it was closed (a ClientHello, never an HTTP request). */
  readonly received: Buffer[];
  close(): Promise<void>;
}

/** Answers whatever arrives with a line of plain text and closes: a TLS handshake cannot complete. */
export async function startNotTlsServer(): Promise<NotTlsServer> {
  const received: Buffer[] = [];
  const server = createTcpServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      received.push(chunk);
      socket.end('HTTP/1.1 400 This is not TLS\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  const { url, close } = await listen(server);
  return { origin: url.replace('http:', 'https:'), received, close };
}

async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
