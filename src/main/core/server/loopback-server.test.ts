import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function send(server: LoopbackServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('loopback server', () => {
  let test: TestCore;
  let server: LoopbackServer;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });

  beforeEach(async () => {
    test = createTestCore({ STATS_INTERVAL_MS: '50' }, { logToFile: false });
    server = await startLoopbackServer({ core: test.core, port: 0 });
  });
  afterEach(async () => {
    await server.dispose();
    await test.close();
  });

  it('listens on 127.0.0.1 only and prints a URL that carries the token', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(`${server.origin}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers GET /health with the seed keys only when the token is given', async () => {
    const denied = await send(server, '/health');
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.body)).toEqual({ ok: false, error: { code: 'bad_request', message: 'Unauthorized: a valid token is required (Authorization: Bearer TOKEN or ?token=TOKEN)' } });

    const wrong = await send(server, '/health?token=not-the-token');
    expect(wrong.status).toBe(401);

    const byHeader = await send(server, '/health', { headers: auth() });
    expect(byHeader.status).toBe(200);
    const report = JSON.parse(byHeader.body);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['status', 'background_tasks', 'memory']));
    expect(Object.keys(report.background_tasks)).toEqual(expect.arrayContaining(['total_tasks', 'active_tasks', 'completed_tasks', 'task_types']));
    expect(Object.keys(report.memory)).toEqual(expect.arrayContaining(['rss_mb', 'vms_mb', 'percent']));
    expect(report.memory.rss_mb).toBeGreaterThan(1);
    expect(report.memory.vms_mb).toBeGreaterThanOrEqual(report.memory.rss_mb);

    const byQuery = await send(server, `/health?token=${server.token}`);
    expect(byQuery.status).toBe(200);
  });

  it('refuses a foreign Origin or Host with 403, even with the token', async () => {
    const evil = await send(server, '/health', { headers: { ...auth(), Origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).error.message).toBe('Forbidden: foreign Origin header');

    const rebound = await send(server, '/health', { headers: { ...auth(), Host: `evil.example:${server.port}` } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.message).toBe('Forbidden: foreign Host header');

    const same = await send(server, '/health', { headers: { ...auth(), Origin: server.origin } });
    expect(same.status).toBe(200);
  });

  it('serves requests of the contract as result envelopes', async () => {
    const reply = await send(server, '/rpc/getConfig', { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{}' });
    expect(reply.status).toBe(200);
    const envelope = JSON.parse(reply.body);
    expect(envelope.ok).toBe(true);
    const pool = envelope.value.entries.find((entry: { name: string }) => entry.name === 'DATABASE_MAX_CONNECTIONS');
    expect(pool).toMatchObject({ value: 20, source: 'default' });
  });

  it('rejects a malformed payload before any service sees it', async () => {
    const cases: [string, string, string][] = [
      ['/rpc/startIndexing', '{"path": 42}', 'Invalid argument for startIndexing: path: Invalid input: expected string, received number'],
      ['/rpc/startIndexing', '{"path": "relative/dir"}', 'Invalid argument for startIndexing: path: must be an absolute path'],
      ['/rpc/takeHeapSnapshot', '{"target": "main", "directory": "relative-dir"}', 'Invalid argument for takeHeapSnapshot: directory: must be an absolute path'],
      ['/rpc/getHealth', '{"extra": true}', 'Invalid argument for getHealth: Unrecognized key: "extra"'],
      ['/rpc/search', '{"query": "x", "mode": "fuzzy"}', 'Invalid argument for search: mode: Invalid option: expected one of "literal"|"regex"|"words"'],
    ];
    for (const [path, body, message] of cases) {
      const reply = await send(server, path, { method: 'POST', headers: auth(), body });
      expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { code: 'bad_request', message } });
    }
    const notJson = await send(server, '/rpc/getHealth', { method: 'POST', headers: auth(), body: '{' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toBe('Request body is not valid JSON');
    const unknown = await send(server, '/rpc/dropDatabase', { method: 'POST', headers: auth(), body: '{}' });
    expect(JSON.parse(unknown.body)).toEqual({ ok: false, error: { code: 'unknown_request', message: 'Unknown request "dropDatabase"' } });
  });

  it('streams pushed events as Server-Sent Events', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/events', headers: auth() }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('event: stats')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', (error) => (error.message.includes('aborted') ? undefined : reject(error)));
      req.end();
    });
    const data = /event: stats\ndata: (.*)\n/.exec(received)?.[1];
    expect(data).toBeDefined();
    const sample = JSON.parse(data as string);
    expect(sample.main.rss).toBeGreaterThan(0);
    expect(sample.main.heapUsed).toBeGreaterThan(0);
  });

  it('never sets or accepts a cookie: the token travels as a header only', async () => {
    const page = await send(server, `/?token=${server.token}`);
    expect(page.headers['set-cookie']).toBeUndefined();
    for (const name of [`gitbot_token_${server.port}`, 'gitbot_token']) {
      const withCookie = await send(server, '/health', { headers: { Cookie: `${name}=${server.token}` } });
      expect(withCookie.status, name).toBe(401);
    }
    const events = await send(server, '/events');
    expect(events.status).toBe(401);
  });

  it('answers a request name that is not valid URL encoding with 400', async () => {
    const reply = await send(server, '/rpc/%E0%A4%A', { method: 'POST', headers: auth(), body: '{}' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error.message).toBe('The request name is not valid URL encoding');
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const reply = await send(server, '/rpc/getHealth', { method: 'POST', headers: auth(), body: `{"x":"${'a'.repeat(1024 * 1024)}"}` });
    expect(reply.status).toBe(413);
  });
});

describe('loopback server static files', () => {
  let test: TestCore;
  let server: LoopbackServer;
  let root: string;

  beforeEach(async () => {
    test = createTestCore({}, { logToFile: false });
    root = join(test.dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(test.dir, 'secret.txt'), 'not for the browser');
    server = await startLoopbackServer({ core: test.core, port: 0, staticDir: root });
  });
  afterEach(async () => {
    await server.dispose();
    await test.close();
  });

  it('serves the page with the CSP header and its assets', async () => {
    const page = await send(server, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>dashboard</title>');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // An asset cannot carry the header and holds no data: it needs no token; the page does.
    const asset = await send(server, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['set-cookie']).toBeUndefined();
    expect((await send(server, '/')).status).toBe(401);
    expect((await send(server, '/index.html')).status).toBe(401);
    expect((await send(server, '/assets/app.js', { headers: { Host: `evil.example:${server.port}` } })).status).toBe(403);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%E0%A4%A']) {
      const reply = await send(server, `${path}?token=${server.token}`);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('not for the browser');
    }
  });

  it('answers 404 for a file it cannot open (a symlink loop) and keeps serving', async () => {
    symlinkSync('loop.js', join(root, 'assets', 'loop.js'));
    const reply = await send(server, `/assets/loop.js?token=${server.token}`);
    expect(reply.status).toBe(404);
    const health = await send(server, `/health?token=${server.token}`);
    expect(health.status).toBe(200);
  });
});
