import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';
import { missingTokenPage, startLoopbackServer, type LoopbackServer } from './loopback-server';

/** Opens a TCP connection that never sends a request; resolves once connected. */
function idleSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves with what the server sent before it closed the socket. */
function closed(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8'))));
}

function post(server: LoopbackServer, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: 'POST', agent: false, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('loopback server limits', () => {
  let test: TestCore;
  let server: LoopbackServer | undefined;
  const open: Socket[] = [];

  afterEach(async () => {
    for (const socket of open.splice(0)) socket.destroy();
    await server?.dispose();
    await test.close();
  });

  it('refuses connections over the limit and serves again once idle ones are closed', async () => {
    const warnings: string[] = [];
    test = createTestCore({}, { logToFile: false, logSinks: [(entry) => warnings.push(entry.message)] });
    server = await startLoopbackServer({ core: test.core, port: 0, maxConnections: 3, idleTimeoutMs: 60_000 });
    for (let index = 0; index < 3; index += 1) open.push(await idleSocket(server.port));
    const excess = await idleSocket(server.port);
    // The server closes the fourth connection without reading or answering anything.
    expect(await closed(excess)).toBe('');
    expect(warnings).toContain('Loopback server refused a connection: 3 connections are open');
    const freed = closed(open[0] as Socket);
    open.shift()?.destroy();
    await freed;
    const reply = await post(server, '/rpc/getPoolStatus', '{}');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).ok).toBe(true);
  });

  it('closes a connection that never sends a request after the idle timeout', async () => {
    test = createTestCore({}, { logToFile: false });
    server = await startLoopbackServer({ core: test.core, port: 0, idleTimeoutMs: 100, headersTimeoutMs: 60_000 });
    const socket = await idleSocket(server.port);
    open.push(socket);
    // No answer is owed to a client that asked nothing; the socket is simply closed.
    expect(await closed(socket)).toBe('');
  });

  it('keeps a connection whose request is still being answered past the idle timeout', async () => {
    test = createTestCore({}, { logToFile: false });
    const core = test.core;
    // The answer takes several idle timeouts (a long search page): the socket is silent, not idle.
    const slow: typeof core.dispatch = async (...args) => {
      await new Promise((done) => setTimeout(done, 500));
      return core.dispatch(...args);
    };
    server = await startLoopbackServer({ core: { events: core.events, logger: core.logger, dispatch: slow }, port: 0, idleTimeoutMs: 100 });
    const reply = await post(server, '/rpc/getPoolStatus', '{}');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).ok).toBe(true);
  });

  it('answers an oversized body with 413, not a reset, and keeps serving', async () => {
    test = createTestCore({}, { logToFile: false });
    server = await startLoopbackServer({ core: test.core, port: 0 });
    const reply = await post(server, '/rpc/getHealth', `{"x":"${'a'.repeat(8 * 1024 * 1024)}"}`);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { code: 'bad_request', message: 'Request body is larger than 1048576 bytes' } });
    expect((await post(server, '/rpc/getPoolStatus', '{}')).status).toBe(200);
  });
});

describe('loopback server without a token', () => {
  let test: TestCore;
  let server: LoopbackServer;

  afterEach(async () => {
    await server.dispose();
    await test.close();
  });

  it('shows a browser a page saying where to get the token, and keeps JSON for API clients', async () => {
    test = createTestCore({}, { logToFile: false });
    server = await startLoopbackServer({ core: test.core, port: 0 });
    const get = (path: string, accept: string) =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path, agent: false, headers: { Accept: accept } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end();
      });
    const page = await get('/', 'text/html,application/xhtml+xml');
    expect(page).toEqual({ status: 401, type: 'text/html; charset=utf-8', body: missingTokenPage });
    expect(page.body).toContain('Copy the whole link from the terminal that runs <code>gitbot serve</code>');
    const api = await get('/health', 'text/html');
    expect(api.status).toBe(401);
    expect(api.type).toBe('application/json; charset=utf-8');
  });
});
