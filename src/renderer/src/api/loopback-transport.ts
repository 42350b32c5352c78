import type { Transport, TransportEvent } from '../../../shared/client';
import { Emitter } from '../../../shared/event';
import { eventNames, type RequestName } from '../../../shared/names';
import type { Result } from '../../../shared/result';

export interface LoopbackOptions {
  /** e.g. "http://127.0.0.1:4312"; the page's own origin in the browser dashboard. */
  readonly origin: string;
  /** The per-run token printed by `gitbot serve`; null when the page was opened without it. */
  readonly token: string | null;
  /** Injected in tests; the global ones otherwise. */
  readonly fetch?: typeof fetch;
  readonly EventSource?: typeof EventSource;
}

/**
 * The browser side of the loopback transport: requests are `POST /rpc/<name>` with the
 * token as a bearer header, events come from ONE `EventSource` on `/events`, opened with
 * the first subscriber and closed with the last. Every failure becomes a result envelope.
 */
export function loopbackTransport(options: LoopbackOptions): Transport {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const EventSourceClass = options.EventSource ?? globalThis.EventSource;
  let source: EventSource | null = null;
  // ONE EventSource, opened with the first subscriber and closed with the last.
  const events = new Emitter<TransportEvent>({
    onWillAddFirstListener: () => openSource(),
    onDidRemoveLastListener: () => {
      source?.close();
      source = null;
    },
  });

  const openSource = (): void => {
    const url = `${options.origin}/events?token=${encodeURIComponent(options.token ?? '')}`;
    source = new EventSourceClass(url);
    for (const name of eventNames) {
      source.addEventListener(name, (message: MessageEvent<string>) => {
        let payload: unknown;
        try {
          payload = JSON.parse(message.data);
        } catch {
          return;
        }
        events.fire({ name, payload });
      });
    }
  };

  return {
    async invoke(name: RequestName, arg: unknown): Promise<Result<unknown>> {
      if (options.token === null) {
        return internal('No access token: open the dashboard with the address printed by `gitbot serve`');
      }
      let response: Response;
      try {
        response = await doFetch(`${options.origin}/rpc/${name}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
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
