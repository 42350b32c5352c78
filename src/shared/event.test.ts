import { describe, expect, it } from 'vitest';
import { Emitter } from './event';

describe('Emitter', () => {
  it('calls every subscription in order, twice for a function subscribed twice, and not after its dispose', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const first = (value: number) => seen.push(`first ${value}`);
    const one = emitter.event(first);
    emitter.event(first);
    emitter.event((value) => seen.push(`second ${value}`));
    emitter.fire(1);
    one.dispose();
    one.dispose();
    emitter.fire(2);
    expect(seen).toEqual(['first 1', 'first 1', 'second 1', 'first 2', 'second 2']);
    expect(emitter.listenerCount).toBe(2);
  });

  it('attaches its source with the first listener and detaches it after the last, once each time', () => {
    const calls: string[] = [];
    const emitter = new Emitter<void>({ onWillAddFirstListener: () => calls.push('attach'), onDidRemoveLastListener: () => calls.push('detach') });
    const a = emitter.event(() => undefined);
    const b = emitter.event(() => undefined);
    a.dispose();
    b.dispose();
    b.dispose();
    emitter.event(() => undefined);
    emitter.dispose();
    expect(calls).toEqual(['attach', 'detach', 'attach', 'detach']);
  });

  it('hands a throwing listener to onListenerError and still calls the others', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<string>({ onListenerError: (error) => errors.push(error) });
    const seen: string[] = [];
    emitter.event(() => {
      throw new Error('broken subscriber');
    });
    emitter.event((value) => seen.push(value));
    emitter.fire('payload');
    expect(seen).toEqual(['payload']);
    expect(errors).toEqual([new Error('broken subscriber')]);
  });

  it('does not call a listener that an earlier listener of the same fire removed', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    emitter.event(() => later.dispose());
    const later = emitter.event(() => seen.push('later'));
    emitter.fire(1);
    expect(seen).toEqual([]);
  });

  it('after dispose, fires reach nobody and new subscriptions are inert', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    emitter.event((value) => seen.push(value));
    emitter.dispose();
    emitter.event((value) => seen.push(value)).dispose();
    emitter.fire(1);
    expect(seen).toEqual([]);
    expect(emitter.listenerCount).toBe(0);
  });
});
