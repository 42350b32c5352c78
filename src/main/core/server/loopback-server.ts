import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EventName } from '../../../shared/contract';
import { fail } from '../../../shared/result';
import type { Core } from '../core';
import { ShutdownDeadline, type Disposable } from '../base/lifecycle';
import { checkRequest } from './request-guard';
import { readJsonBody } from './request-body';
import { handleSearchStream, pagedListing } from './search-stream-route';
import { serveStatic } from './static-files';

export interface LoopbackServerOptions {
  readonly core: Pick<Core, 'dispatch' | 'events' | 'logger'> & Partial<Pick<Core, 'listSearch'>>;
  /** Folder of the built renderer (out/renderer); absent means API only. */
  readonly staticDir?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Fixed token for tests; a random one per run otherwise. */
  readonly token?: string;
  readonly heartbeatMs?: number;
  /** Open connections at most (default DEFAULT_SERVER_LIMITS); the excess is closed at once. */
  readonly maxConnections?: number;
  /** A connection with nothing in flight is closed after this long (default 30 s); a request being answered is not timed by it. */
  readonly idleTimeoutMs?: number;
  /** A request must have sent its headers within this long (default 10 s). */
  readonly headersTimeoutMs?: number;
}

/**
 * The budgets of the loopback server. Idle TCP connections each hold a file descriptor, and
 * about 1,000 of them exhausted the process's descriptors (EMFILE), so connections are
 * capped and an idle or slow one is closed. The dashboard needs about 7 (6 parallel requests
 * and the event stream), a few tabs a few times that.
 */
export const DEFAULT_SERVER_LIMITS = { maxConnections: 64, idleTimeoutMs: 30_000, headersTimeoutMs: 10_000 } as const;

export interface LoopbackServer extends Disposable {
  readonly port: number;
  readonly token: string;
  /** The dashboard URL, token included: what `gitbot serve` prints first. */
  readonly url: string;
  readonly origin: string;
}

const maxBodyBytes = 1024 * 1024;
/** Every socket is destroyed at once, so the close needs little time; this bounds it anyway. */
const CLOSE_WAIT_MS = 1000;

/**
 * The second transport of the IPC contract, for the browser dashboard, the e2e tests and
 * operators. Bound to 127.0.0.1 only; every route but the renderer's assets needs the per-run
 * token (request-guard.ts). Routes:
 * POST /rpc/<request>, POST /stream/search, GET /events (Server-Sent Events), GET /health,
 * and the renderer.
 */
export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<Socket>();
  const streams = new Set<ServerResponse>();
  let port = 0;

  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_SERVER_LIMITS.idleTimeoutMs;
  const headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_SERVER_LIMITS.headersTimeoutMs;
  const server: Server = createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: headersTimeoutMs + idleTimeoutMs, connectionsCheckingInterval: Math.min(1000, headersTimeoutMs), keepAliveTimeout: idleTimeoutMs },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        options.core.logger.error(`Loopback request failed: ${(error as Error).message}`);
        if (!response.headersSent) sendJson(response, 500, fail('internal', 'Internal server error'));
        else response.destroy();
      });
    },
  );
  server.maxConnections = options.maxConnections ?? DEFAULT_SERVER_LIMITS.maxConnections;
  // A socket silent for idleTimeoutMs is closed: one that never sends a request, too.
  server.setTimeout(idleTimeoutMs, (socket) => socket.destroy());
  server.on('drop', () => options.core.logger.warn(`Loopback server refused a connection: ${server.maxConnections} connections are open`));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // The core formats a listing in its reader threads; a server given only dispatch reads pages.
  const listing = options.core.listSearch ?? pagedListing(options.core.dispatch);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The idle timeout is for a connection with nothing in flight: while this request is being
    // answered (a long search page) the socket is silent, not idle. requestTimeout still bounds
    // the upload and the response's end sets keepAliveTimeout again (Node's own http server).
    request.socket.setTimeout(0);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(request, url, port, token, !isPublicAsset(request, url, options.staticDir));
    if (!verdict.allowed) {
      // A person opening the dashboard without its token gets a page that says where to find one.
      if (verdict.status === 401 && isPageRequest(request, url)) {
        sendMissingTokenPage(response);
        return;
      }
      sendJson(response, verdict.status, fail('bad_request', verdict.message));
      return;
    }
    const method = request.method ?? 'GET';
    if (await handleSearchStream(request, response, url, listing)) return;
    if (url.pathname.startsWith('/rpc/')) {
      if (method !== 'POST') return sendJson(response, 405, fail('bad_request', 'Use POST for /rpc/<request>'));
      const body = await readJsonBody(request, maxBodyBytes);
      if (!body.ok) return sendJson(response, body.status, { ok: false, error: body.error });
      const name = safeDecode(url.pathname.slice('/rpc/'.length));
      if (name === undefined) return sendJson(response, 400, fail('bad_request', 'The request name is not valid URL encoding'));
      // A client that hangs up cancels its request (a search stops and frees its reader).
      const gone = new AbortController();
      response.on('close', () => response.writableEnded || gone.abort());
      return sendJson(response, 200, await options.core.dispatch(name, body.value, { signal: gone.signal }));
    }
    if (method !== 'GET' && method !== 'HEAD') return sendJson(response, 405, fail('bad_request', `Method ${method} is not allowed`));
    if (url.pathname === '/events') return openEventStream(response);
    if (url.pathname === '/health') {
      const result = await options.core.dispatch('getHealth', {});
      return result.ok ? sendJson(response, 200, result.value) : sendJson(response, 500, result);
    }
    if (options.staticDir !== undefined && (await serveStatic(options.staticDir, url.pathname, response))) return;
    sendJson(response, 404, fail('not_found', `No route for ${url.pathname}`));
  }

  function openEventStream(response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    response.write(': connected\n\n');
    // The stream is quiet between events by design; heartbeats, not the idle timeout, watch it.
    response.socket?.setTimeout(0);
    streams.add(response);
    const subscription = options.core.events.subscribe((event: EventName, payload: unknown) => {
      response.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    // Comments keep idle proxies and the browser from timing the stream out.
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
    heartbeat.unref();
    response.on('close', () => {
      clearInterval(heartbeat);
      void subscription.dispose();
      streams.delete(response);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    token,
    origin,
    url: `${origin}/?token=${token}`,
    /** Ends the event streams and every connection; waits for the close until the deadline's hard end (CLOSE_WAIT_MS without one). */
    async dispose(deadline = new ShutdownDeadline(0, CLOSE_WAIT_MS)) {
      for (const stream of streams) stream.end();
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      if (!(await deadline.within(closed))) options.core.logger.warn('The loopback server did not close in time; left behind');
    },
  };
}

/**
 * The built renderer's scripts, styles and images hold no data and cannot carry a header, so
 * they are served without the token; the page itself (`/`) still needs it, so that opening
 * it without the token shows where to find one.
 */
function isPublicAsset(request: IncomingMessage, url: URL, staticDir: string | undefined): boolean {
  const method = request.method ?? 'GET';
  return staticDir !== undefined && (method === 'GET' || method === 'HEAD') && !isApiPath(url.pathname) && url.pathname !== '/' && url.pathname !== '/index.html';
}

function isApiPath(pathname: string): boolean {
  return pathname.startsWith('/rpc/') || pathname.startsWith('/stream/') || pathname === '/events' || pathname === '/health';
}

/** A browser navigating to a page (not the API, not an asset): GET of / or an HTML path that asks for HTML. */
function isPageRequest(request: IncomingMessage, url: URL): boolean {
  const method = request.method ?? 'GET';
  const accept = request.headers.accept ?? '';
  return (method === 'GET' || method === 'HEAD') && !isApiPath(url.pathname) && accept.includes('text/html');
}

/** The page shown for a dashboard URL without a valid token; no script, no token, no details. */
export const missingTokenPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gitbot: this link needs its token</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>This link needs its token</h1>
<p>The Gitbot dashboard only opens with the link <code>gitbot serve</code> printed when it started,
which ends in <code>?token=…</code>. The token changes every time the server starts.</p>
<p>Copy the whole link from the terminal that runs <code>gitbot serve</code> (or start it again) and open it here.</p>
</body></html>
`;

function sendMissingTokenPage(response: ServerResponse): void {
  response.writeHead(401, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(missingTokenPage),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  response.end(missingTokenPage);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(text);
}
