import { describe, expect, it } from 'vitest';
import { ManualTimers, settle } from '../db/pool-test-clock';
import { DisposableStore, ShutdownDeadline, toDisposable } from './lifecycle';

describe('DisposableStore with a shutdown deadline', () => {
  it('gives each item the deadline and leaves behind one that does not end by the hard end', async () => {
    const clock = new ManualTimers();
    const deadline = new ShutdownDeadline(1000, 3000, clock);
    const store = new DisposableStore();
    const seen: string[] = [];
    store.add(toDisposable(() => void seen.push('first registered, disposed last')));
    store.add({ dispose: () => new Promise<void>(() => {}) });
    store.add(
      toDisposable((given?: ShutdownDeadline) => {
        seen.push(`given ${given?.untilSoft()} ms soft, ${given?.untilHard()} ms hard`);
      }),
    );
    let done = false;
    void store.dispose(deadline).then(() => (done = true));
    await settle();
    expect(seen).toEqual(['given 1000 ms soft, 4000 ms hard']);
    await clock.advance(3999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
    expect(store.overdue).toBe(1);
    expect(seen).toEqual(['given 1000 ms soft, 4000 ms hard', 'first registered, disposed last']);
  });

  it('waits for every item without a deadline', async () => {
    const store = new DisposableStore();
    let closed = false;
    store.add(
      toDisposable(async () => {
        await settle();
        closed = true;
      }),
    );
    await store.dispose();
    expect(closed).toBe(true);
    expect(store.overdue).toBe(0);
  });
});
