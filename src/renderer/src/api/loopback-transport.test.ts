import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../shared/client';
import { loopbackTransport } from './loopback-transport';

/** An EventSource stand-in that records instances and lets the test deliver messages. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly listeners = new Map<string, ((message: MessageEvent<string>) => void)[]>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, listener: (message: MessageEvent<string>) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  deliver(name: string, data: string): void {
    for (const listener of this.listeners.get(name) ?? []) {
      listener(new MessageEvent(name, { data }));
    }
  }
}

const jsonResponse = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('loopbackTransport', () => {
  it('posts the argument to /rpc/<name> with the bearer token and returns the envelope', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: { path: null } }));
    const api = createApi(loopbackTransport({ origin: 'http://127.0.0.1:4000', token: 'secret', fetch, EventSource: FakeEventSource as never }));
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

  it('shares one EventSource between every subscription and closes it with the last', () => {
    FakeEventSource.instances = [];
    const api = createApi(loopbackTransport({ origin: 'http://127.0.0.1:4000', token: 'a b', fetch: vi.fn(), EventSource: FakeEventSource as never }));
    const stats = vi.fn();
    const logs = vi.fn();
    const offStats = api.on('stats', stats);
    const offLogs = api.on('log', logs);
    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe('http://127.0.0.1:4000/events?token=a%20b');

    source.deliver('log', JSON.stringify({ time: 1, level: 'info', message: 'hello' }));
    source.deliver('log', 'not json');
    expect(logs).toHaveBeenCalledExactlyOnceWith({ time: 1, level: 'info', message: 'hello' });
    expect(stats).not.toHaveBeenCalled();

    offStats();
    expect(source.closed).toBe(false);
    offLogs();
    expect(source.closed).toBe(true);
  });
});
