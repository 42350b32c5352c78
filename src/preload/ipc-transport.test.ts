import { describe, expect, it, vi } from 'vitest';
import type { IpcRendererEvent } from 'electron';
import { createApi } from '../shared/client';
import { eventChannel, requestChannel } from '../shared/names';
import type { StatsSample } from '../shared/types';
import { createIpcTransport, type PreloadIpc } from './ipc-transport';

type ChannelListener = (event: IpcRendererEvent, ...args: unknown[]) => void;

/** A stand-in for ipcRenderer: records invokes and plays main's webContents.send. */
class FakeIpcRenderer {
  readonly invoked: [string, unknown][] = [];
  readonly listeners = new Map<string, ChannelListener[]>();
  answer: (channel: string, arg: unknown) => Promise<unknown> = async () => ({ ok: true, value: 'pong' });

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, args[0]]);
    return this.answer(channel, args[0]);
  }
  on(channel: string, listener: ChannelListener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  removeListener(channel: string, listener: ChannelListener): this {
    this.listeners.set(
      channel,
      (this.listeners.get(channel) ?? []).filter((item) => item !== listener),
    );
    return this;
  }
  count(channel: string): number {
    return this.listeners.get(channel)?.length ?? 0;
  }
  send(...args: unknown[]): void {
    const electronEvent = { sender: 'the ipcRenderer itself', ports: [] } as unknown as IpcRendererEvent;
    for (const listener of this.listeners.get(eventChannel) ?? []) {
      listener(electronEvent, ...args);
    }
  }
}

const sample = { time: 1, rss: 100 } as unknown as StatsSample;

function setUp() {
  const ipc = new FakeIpcRenderer();
  const api = createApi(createIpcTransport(ipc as unknown as PreloadIpc));
  return { ipc, api };
}

describe('the preload transport', () => {
  it('invokes the request channel with the argument and returns the envelope', async () => {
    const { ipc, api } = setUp();
    await expect(api.getLogs({ limit: 5 })).resolves.toEqual({ ok: true, value: 'pong' });
    await api.getHealth({});
    expect(ipc.invoked).toEqual([
      [requestChannel('getLogs'), { limit: 5 }],
      [requestChannel('getHealth'), {}],
    ]);
  });

  it('turns a failed invoke into an error envelope', async () => {
    const { ipc, api } = setUp();
    ipc.answer = () => Promise.reject(new Error("No handler registered for 'gitbot:getConfig'"));
    await expect(api.getConfig({})).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: "IPC failed for getConfig: No handler registered for 'gitbot:getConfig'" },
    });
  });

  it('fans one ipcRenderer listener out to the page, payload only', () => {
    const { ipc, api } = setUp();
    const first = vi.fn();
    const second = vi.fn();
    const alerts = vi.fn();
    api.on('stats', first);
    api.on('stats', second);
    api.on('alert', alerts);
    expect(ipc.count(eventChannel)).toBe(1);

    ipc.send('stats', sample);
    expect(first.mock.calls).toEqual([[sample]]);
    expect(second.mock.calls).toEqual([[sample]]);
    expect(alerts).not.toHaveBeenCalled();
  });

  it('ignores events that are not in the contract', () => {
    const { ipc, api } = setUp();
    const listener = vi.fn();
    api.on('stats', listener);
    ipc.send('notAnEvent', sample);
    ipc.send(42, sample);
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps delivering when one page listener throws', () => {
    const { ipc, api } = setUp();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    api.on('stats', () => {
      throw new Error('broken widget');
    });
    api.on('stats', after);
    ipc.send('stats', sample);
    expect(after).toHaveBeenCalledWith(sample);
    expect(error).toHaveBeenCalledTimes(1);
    error.mockRestore();
  });

  it('unsubscribes one listener at a time and drops the ipcRenderer listener with the last', () => {
    const { ipc, api } = setUp();
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = api.on('stats', first);
    const stopSecond = api.on('stats', second);

    stopFirst();
    stopFirst();
    ipc.send('stats', sample);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    expect(ipc.count(eventChannel)).toBe(1);

    stopSecond();
    expect(ipc.count(eventChannel)).toBe(0);
    ipc.send('stats', sample);
    expect(second).toHaveBeenCalledTimes(1);

    // Subscribing again re-attaches exactly one listener.
    api.on('stats', first);
    expect(ipc.count(eventChannel)).toBe(1);
  });

  it('treats the same function subscribed twice as two subscriptions', () => {
    const { ipc, api } = setUp();
    const listener = vi.fn();
    const stop = api.on('stats', listener);
    api.on('stats', listener);
    stop();
    ipc.send('stats', sample);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
