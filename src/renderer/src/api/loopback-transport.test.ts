import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../shared/client';
import { loopbackTransport } from './loopback-transport';

/** A fetch whose /events answer is a stream the test writes to; every call recorded. */
function streamingFetch(status = 200) {
  const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = vi.fn((url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        streams.push(controller);
        init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
      },
    });
    return Promise.resolve(new Response(body, { status, headers: { 'Content-Type': 'text/event-stream' } }));
  });
  const write = (text: string) => streams.at(-1)?.enqueue(new TextEncoder().encode(text));
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls, write, streams };
}

const jsonResponse = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('loopbackTransport', () => {
  it('posts the argument to /rpc/<name> with the bearer token and returns the envelope', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: { path: null } }));
    const api = createApi(loopbackTransport({ origin: 'http://127.0.0.1:4000', token: 'secret', fetch }));
    await expect(api.chooseFolder({})).resolves.toEqual({ ok: true, value: { path: null } });
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:4000/rpc/chooseFolder', {
      method: 'POST',
      headers: { Authorization: 'Bearer secret', 'Content-Type': 'application/json' },
      body: '{}',
    });
  });

  it('passes error envelopes through unchanged', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: false, error: { code: 'not_found', message: '/nope does not exist' } }));
    const api = createApi(loopbackTransport({ origin: '', token: 't', fetch }));
    await expect(api.startIndexing({ path: '/nope' })).resolves.toEqual({ ok: false, error: { code: 'not_found', message: '/nope does not exist' } });
  });

  it('turns a network failure into an internal error envelope', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const api = createApi(loopbackTransport({ origin: '', token: 't', fetch }));
    await expect(api.getHealth({})).resolves.toEqual({ ok: false, error: { code: 'internal', message: 'Cannot reach the Gitbot core: Failed to fetch' } });
  });

  it('turns a body that is not an envelope into an internal error envelope', async () => {
    const fetch = vi.fn(async () => new Response('<html>proxy error</html>', { status: 502 }));
    const api = createApi(loopbackTransport({ origin: '', token: 't', fetch }));
    await expect(api.getHealth({})).resolves.toEqual({ ok: false, error: { code: 'internal', message: 'The Gitbot core answered getHealth with HTTP 502 and no result' } });
  });

  it('answers without a request when there is no token', async () => {
    const fetch = vi.fn();
    const api = createApi(loopbackTransport({ origin: '', token: null, fetch }));
    const result = await api.getHealth({});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'No access token: open the dashboard with the address printed by `gitbot serve`' } });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('shares one event stream between every subscription, sends the token as a header only and closes it with the last', async () => {
    const server = streamingFetch();
    const api = createApi(loopbackTransport({ origin: 'http://127.0.0.1:4000', token: 'a b', fetch: server.fetch }));
    const stats = vi.fn();
    const logs = vi.fn();
    const offStats = api.on('stats', stats);
    const offLogs = api.on('log', logs);
    await vi.waitFor(() => expect(server.streams).toHaveLength(1));
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.url).toBe('http://127.0.0.1:4000/events');
    expect(server.calls[0]?.init?.headers).toEqual({ Authorization: 'Bearer a b', Accept: 'text/event-stream' });

    // An event split across chunks, an unparsable one and an unknown one.
    server.write(': connected\n\nevent: log\ndata: {"time":1,"level":"info",');
    server.write('"message":"hello"}\n\nevent: log\ndata: not json\n\nevent: nope\ndata: {}\n\n');
    await vi.waitFor(() => expect(logs).toHaveBeenCalledExactlyOnceWith({ time: 1, level: 'info', message: 'hello' }));
    expect(stats).not.toHaveBeenCalled();

    offStats();
    const signal = server.calls[0]?.init?.signal;
    expect(signal?.aborted).toBe(false);
    offLogs();
    expect(signal?.aborted).toBe(true);
  });

  it('opens the stream again after it ends, and not after the token is refused', async () => {
    vi.useFakeTimers();
    try {
      const server = streamingFetch();
      const api = createApi(loopbackTransport({ origin: '', token: 't', fetch: server.fetch, reconnectMs: 2000 }));
      const off = api.on('log', () => {});
      await vi.waitFor(() => expect(server.streams).toHaveLength(1));
      server.streams[0]?.close();
      await vi.advanceTimersByTimeAsync(1999);
      expect(server.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(server.calls).toHaveLength(2));
      off();

      const refused = streamingFetch(401);
      const other = createApi(loopbackTransport({ origin: '', token: 'wrong', fetch: refused.fetch, reconnectMs: 2000 }));
      const offOther = other.on('log', () => {});
      await vi.waitFor(() => expect(refused.calls).toHaveLength(1));
      await vi.advanceTimersByTimeAsync(10_000);
      expect(refused.calls).toHaveLength(1);
      offOther();
    } finally {
      vi.useRealTimers();
    }
  });
});
