import { vi } from 'vitest';
import type { EventName, EventPayloads, GitbotApi, RequestArg, RequestResult } from '../../../shared/contract';
import { idlePoolStatus, type PoolStatus } from '../../../shared/health';
import { requestNames, type RequestName } from '../../../shared/names';
import { fail, ok, type Result } from '../../../shared/result';
import type { AppInfo, StatsSample } from '../../../shared/types';

type Handler<N extends RequestName> = (arg: RequestArg<N>) => Result<RequestResult<N>> | Promise<Result<RequestResult<N>>>;

export type FakeHandlers = { [N in RequestName]?: Handler<N> };

/** A GitbotApi whose requests answer from `handlers` (unsupported otherwise) and whose events tests emit. */
export interface FakeApi extends GitbotApi {
  /** Pushes an event to every current subscriber, as the core would. */
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  /** How many listeners are subscribed to `event` right now (leak checks). */
  listenerCount(event: EventName): number;
  /** The spy of each request, to assert calls. */
  readonly calls: { readonly [N in RequestName]: ReturnType<typeof vi.fn> };
}

export function createFakeApi(handlers: FakeHandlers = {}): FakeApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls = {} as Record<RequestName, ReturnType<typeof vi.fn>>;
  const requests = {} as Record<RequestName, (arg: unknown) => Promise<Result<unknown>>>;
  for (const name of requestNames) {
    const handler = handlers[name] as ((arg: unknown) => Result<unknown> | Promise<Result<unknown>>) | undefined;
    const spy = vi.fn(async (arg: unknown) => (handler === undefined ? fail('unsupported', `${name} is not available yet`) : handler(arg)));
    calls[name] = spy;
    requests[name] = spy;
  }
  const api = {
    ...requests,
    calls,
    on(event: EventName, listener: (payload: never) => void) {
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
    emit(event: EventName, payload: unknown) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        listener(payload);
      }
    },
    listenerCount(event: EventName) {
      return listeners.get(event)?.size ?? 0;
    },
  };
  return api as unknown as FakeApi;
}

export const MB = 1024 * 1024;

export function poolStatus(overrides: Partial<PoolStatus> = {}): PoolStatus {
  return idlePoolStatus({ size: 2, checked_out: 1, idle: 1, max_connections: 5, max_overflow: 5, created: 2, acquire_wait_p50_ms: 0.2, acquire_wait_p95_ms: 1.5, ...overrides });
}

/** A stats sample with round figures: RSS `rssMb` MB, heap used half of it. */
export function statsSample(time: number, rssMb = 85.2, overrides: Partial<StatsSample> = {}): StatsSample {
  return {
    time,
    main: {
      rss: rssMb * MB,
      heapUsed: (rssMb / 2) * MB,
      heapTotal: rssMb * 0.75 * MB,
      external: 3 * MB,
      arrayBuffers: MB,
      vmSize: 900 * MB,
      rssAnonymous: rssMb * 0.6 * MB,
      rssFileBacked: rssMb * 0.4 * MB,
    },
    percent: 1.2,
    heapLimit: 4096 * MB,
    thresholdBytes: 100 * MB,
    eventLoop: { delayP50Ms: 10.1, delayP99Ms: 12.4, utilization: 0.03 },
    gc: [],
    workers: [],
    processes: [],
    pool: poolStatus(),
    tasks: { active: 0, total: 0 },
    ...overrides,
  };
}

export function appInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return { version: '0.1.0', runtime: 'node', dbPath: '/data/index.sqlite', dataDir: '/data', homeDir: '/home/me', canChooseFolder: false, canOpenInEditor: false, ...overrides };
}

export { ok, fail };
