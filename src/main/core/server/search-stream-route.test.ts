import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../../shared/result';
import { EventHub } from '../base/events';
import { silentLogger } from '../log/logger';
import type { Dispatch, RequestContext } from '../router';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

interface Call {
  readonly name: string;
  readonly arg: Record<string, unknown>;
  readonly context: RequestContext | undefined;
}

let server: LoopbackServer | undefined;

afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

async function serve(dispatch: Dispatch): Promise<LoopbackServer> {
  server = await startLoopbackServer({ core: { dispatch, events: new EventHub(), logger: silentLogger }, port: 0, token: 'test-token-that-is-long-enough-000' });
  return server;
}

/** Pages of `size` matches, `pages` of them, each naming its cursor. */
function pagedSearch(calls: Call[], pages: number): Dispatch {
  return (name, rawArg, context) => {
    const arg = rawArg as Record<string, unknown>;
    calls.push({ name, arg, context });
    const index = arg.cursor === undefined ? 0 : Number(arg.cursor);
    const limit = Number(arg.limit);
    const matches = Array.from({ length: limit }, (_, line) => ({ path: `f${index}.ts`, repo: '/r', line: line + 1, text: 'x'.repeat(200), ranges: [[0, 1]], score: null }));
    return Promise.resolve(ok({ matches, total: { matches: pages * limit, files: pages, exact: false }, elapsedMs: 1, ...(index + 1 < pages ? { nextCursor: String(index + 1) } : {}) }));
  };
}

function post(target: LoopbackServer, path: string, body: unknown) {
  return request({ host: '127.0.0.1', port: target.port, path, method: 'POST', headers: { Authorization: `Bearer ${target.token}`, 'Content-Type': 'application/json' } }, () => {}).end(
    JSON.stringify(body),
  );
}

describe('streamed search and disconnects', () => {
  it('streams every page as NDJSON and ends with the totals', async () => {
    const calls: Call[] = [];
    const target = await serve(pagedSearch(calls, 3));
    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: target.port, path: '/stream/search', method: 'POST', headers: { Authorization: `Bearer ${target.token}` } }, (res) => {
        expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ query: 'x', mode: 'literal' }));
    });
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3001);
    expect(lines.at(-1)).toEqual({ done: true, written: 3000, total: { matches: 3000, files: 3, exact: false }, more: false });
    expect(calls.map((call) => call.arg.cursor)).toEqual([undefined, '1', '2']);
    expect(calls.every((call) => call.arg.limit === 1000 && call.arg.totals === false)).toBe(true);
  });

  it('requires the token, as /rpc does', async () => {
    const target = await serve(pagedSearch([], 1));
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: target.port, path: '/stream/search', method: 'POST' }, (res) => resolve(res.statusCode ?? 0)).end('{}');
    });
    expect(status).toBe(401);
  });

  it('stops reading pages when the streaming client hangs up', async () => {
    const calls: Call[] = [];
    const target = await serve(pagedSearch(calls, 1_000_000));
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: target.port, path: '/stream/search', method: 'POST', headers: { Authorization: `Bearer ${target.token}` } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.end(JSON.stringify({ query: 'x', mode: 'literal' }));
    });
    // Backpressure: with the reader gone the stream stops; the pages read are bounded by the socket's buffers.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const read = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.length).toBe(read);
    expect(read).toBeLessThan(1000);
    expect(calls.at(-1)?.context?.signal?.aborted).toBe(true);
  });

  it('aborts the signal of an /rpc request whose client disconnects', async () => {
    let seen: RequestContext | undefined;
    const target = await serve((_name, _arg, context) => {
      seen = context;
      return new Promise((resolve) => context?.signal?.addEventListener('abort', () => resolve(ok(null)), { once: true }));
    });
    const req = post(target, '/rpc/search', { query: 'x', mode: 'literal' });
    req.on('error', () => {});
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (seen !== undefined) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    expect(seen?.signal?.aborted).toBe(false);
    req.destroy();
    await new Promise<void>((resolve) => seen?.signal?.addEventListener('abort', () => resolve(), { once: true }));
    expect(seen?.signal?.aborted).toBe(true);
  });
});
