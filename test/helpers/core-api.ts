import type { EventName, EventPayloads, GitbotApi } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';

/** The value of a successful result; a failure throws its code and message, so the test fails on it. */
export async function valueOf<T>(result: Result<T> | Promise<Result<T>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) {
    throw new Error(`${settled.error.code}: ${settled.error.message}`);
  }
  return settled.value;
}

/**
 * The next `event` whose payload `accept` takes. Subscribes at once, so call it before the
 * request that causes the event. The test's own timeout bounds the wait.
 */
export function nextEvent<E extends EventName>(api: GitbotApi, event: E, accept: (payload: EventPayloads[E]) => boolean = () => true): Promise<EventPayloads[E]> {
  return new Promise((resolve) => {
    const off = api.on(event, (payload) => {
      if (accept(payload)) {
        off();
        resolve(payload);
      }
    });
  });
}

/** Starts indexing `root` and resolves with that run's `indexDone`; a refused start throws. */
export async function indexThroughApi(api: GitbotApi, root: string): Promise<EventPayloads['indexDone']> {
  const finished = new Map<string, EventPayloads['indexDone']>();
  let wake: (() => void) | undefined;
  const off = api.on('indexDone', (done) => {
    finished.set(done.taskId, done);
    wake?.();
  });
  try {
    const { taskId } = await valueOf(api.startIndexing({ path: root }));
    let done = finished.get(taskId);
    while (done === undefined) {
      await new Promise<void>((resolve) => (wake = resolve));
      done = finished.get(taskId);
    }
    return done;
  } finally {
    off();
  }
}
