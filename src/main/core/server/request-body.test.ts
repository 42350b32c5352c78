import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../../shared/result';
import { EventHub } from '../base/events';
import { silentLogger } from '../log/logger';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

let server: LoopbackServer | undefined;

afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

/**
 * A client that uploads the whole body before it looks for an answer, as curl and browsers
 * do: over a raw socket, so a reset shows as the socket error it is.
 */
function uploadThenRead(port: number, token: string, path: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('connect', () => {
      const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      socket.write(head);
      socket.end(body);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), text: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

async function serve(): Promise<LoopbackServer> {
  server = await startLoopbackServer({
    core: { dispatch: () => Promise.resolve(ok({ matches: [], total: { matches: 0, files: 0, exact: true }, elapsedMs: 0 })), events: new EventHub(), logger: silentLogger },
    port: 0,
    token: 'test-token-that-is-long-enough-000',
  });
  return server;
}

const oversized = (bytes: number) => Buffer.from(`{"query":"${'a'.repeat(bytes)}"}`);

describe('request bodies', () => {
  it('answers an oversized streamed-search body with 413 once the client has uploaded it', async () => {
    const target = await serve();
    const reply = await uploadThenRead(target.port, target.token, '/stream/search', oversized(4 * 1024 * 1024));
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text)).toEqual({ ok: false, error: { code: 'bad_request', message: 'Request body is larger than 65536 bytes' } });
  });

  it('answers an oversized /rpc body with 413 once the client has uploaded it', async () => {
    const target = await serve();
    const reply = await uploadThenRead(target.port, target.token, '/rpc/search', oversized(8 * 1024 * 1024));
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text)).toEqual({ ok: false, error: { code: 'bad_request', message: 'Request body is larger than 1048576 bytes' } });
  });

  it('says a body that is not JSON is not JSON, on both routes', async () => {
    const target = await serve();
    for (const path of ['/stream/search', '/rpc/search']) {
      const reply = await uploadThenRead(target.port, target.token, path, Buffer.from('{nope'));
      expect(reply.status, path).toBe(400);
      expect(JSON.parse(reply.text), path).toEqual({ ok: false, error: { code: 'bad_request', message: 'Request body is not valid JSON' } });
    }
  });
});
