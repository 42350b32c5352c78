import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Transport, TransportEvent } from '../../../shared/client';
import { Emitter } from '../../../shared/event';
import { eventNames, type RequestName } from '../../../shared/names';
import type { Result } from '../../../shared/result';

export interface LoopbackOptions {
  /** e.g. "http://127.0.0.1:4312"; the page's own origin in the browser dashboard. */
  readonly origin: string;
  /** The per-run token printed by `gitbot serve`; null when the page was opened without it. */
  readonly token: string | null;
  /** Injected in tests; the global one otherwise. */
  readonly fetch?: typeof fetch;
  /** Wait before the event stream is opened again after it ended or failed (default 2 s). */
  readonly reconnectMs?: number;
}

/**
 * The most the event stream may hold of one unfinished event; a server that sends more is
 * cut off and the stream opened again.
 */
export const MAX_EVENT_BYTES = 4 * 1024 * 1024;

/**
 * The browser side of the loopback transport: requests are `POST /rpc/<name>`, events come
 * from ONE streamed `GET /events`, opened with the first subscriber and closed with the last.
 * Both send the token as `Authorization: Bearer` and nowhere else: EventSource cannot send
 * a header, so the stream is read with fetch and parsed by eventsource-parser (a kept
 * implementation of the SSE format). Every failure becomes a result envelope.
 */
export function loopbackTransport(options: LoopbackOptions): Transport {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = (): Record<string, string> => ({ Authorization: `Bearer ${options.token ?? ''}` });
  let stream: AbortController | null = null;
  const events = new Emitter<TransportEvent>({
    onWillAddFirstListener: () => {
      stream = new AbortController();
      void readEvents(stream.signal);
    },
    onDidRemoveLastListener: () => {
      stream?.abort();
      stream = null;
    },
  });

  const deliver = (message: EventSourceMessage): void => {
    const name = eventNames.find((known) => known === message.event);
    if (name === undefined) {
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(message.data);
    } catch {
      return;
    }
    events.fire({ name, payload });
  };

  /** Reads the stream until aborted; opens it again after it ends, as EventSource would. */
  async function readEvents(signal: AbortSignal): Promise<void> {
    if (options.token === null) {
      return;
    }
    while (!signal.aborted) {
      const refused = await readOnce(signal);
      // A refused token stays refused: trying again would only repeat the 401.
      if (refused || signal.aborted) {
        return;
      }
      await delay(options.reconnectMs ?? 2000, signal);
    }
  }

  /** One connection to /events; true when the server refused it (4xx). */
  async function readOnce(signal: AbortSignal): Promise<boolean> {
    const cut = new AbortController();
    const parser = createParser({ onEvent: deliver, onError: () => cut.abort(), maxBufferSize: MAX_EVENT_BYTES });
    const onAbort = (): void => cut.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await doFetch(`${options.origin}/events`, { headers: { ...headers(), Accept: 'text/event-stream' }, signal: cut.signal, cache: 'no-store' });
      if (response.status >= 400 && response.status < 500) {
        await response.body?.cancel();
        return true;
      }
      if (!response.ok || response.body === null) {
        return false;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || cut.signal.aborted) {
          break;
        }
        parser.feed(value);
      }
      await reader.cancel();
    } catch {
      // The server went away or the stream was cut; the caller waits and tries again.
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    return false;
  }

  return {
    async invoke(name: RequestName, arg: unknown): Promise<Result<unknown>> {
      if (options.token === null) {
        return internal('No access token: open the dashboard with the address printed by `gitbot serve`');
      }
      let response: Response;
      try {
        response = await doFetch(`${options.origin}/rpc/${name}`, {
          method: 'POST',
          headers: { ...headers(), 'Content-Type': 'application/json' },
          body: JSON.stringify(arg ?? {}),
        });
      } catch (error) {
        return internal(`Cannot reach the Gitbot core: ${describe(error)}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return internal(`The Gitbot core answered ${name} with HTTP ${response.status} and no result`);
      }
      if (isEnvelope(body)) {
        return body;
      }
      return internal(`The Gitbot core answered ${name} with HTTP ${response.status} and an unexpected body`);
    },

    onEvent: events.event,
  };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function internal(message: string): Result<never> {
  return { ok: false, error: { code: 'internal', message } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isEnvelope(body: unknown): body is Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) {
    return false;
  }
  const envelope = body as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (envelope.ok === true) {
    return 'value' in body;
  }
  return envelope.ok === false && typeof envelope.error?.code === 'string' && typeof envelope.error.message === 'string';
}
