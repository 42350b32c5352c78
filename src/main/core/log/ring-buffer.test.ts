import { describe, expect, it } from 'vitest';
import { forceGc } from '../monitor/testing';
import { RingBuffer } from './ring-buffer';

function pushObject(buffer: RingBuffer<object>): object {
  const item = { payload: new Array<number>(64).fill(1) };
  buffer.push(item);
  return item;
}

describe('RingBuffer', () => {
  it('keeps the newest capacity items, oldest first', () => {
    const buffer = new RingBuffer<number>(3);
    expect(buffer.toArray()).toEqual([]);
    expect(buffer.last()).toBeUndefined();
    for (let i = 1; i <= 7; i += 1) buffer.push(i);
    expect(buffer.toArray()).toEqual([5, 6, 7]);
    expect(buffer.size).toBe(3);
    expect(buffer.last()).toBe(7);
  });

  it('fills up before it wraps', () => {
    const buffer = new RingBuffer<string>(4);
    buffer.push('a');
    buffer.push('b');
    expect(buffer.toArray()).toEqual(['a', 'b']);
    expect(buffer.size).toBe(2);
    expect(buffer.last()).toBe('b');
  });

  it('lets an overwritten item be collected', async () => {
    const gc = forceGc();
    const buffer = new RingBuffer<object>(2);
    const first = new WeakRef(pushObject(buffer));
    pushObject(buffer);
    gc();
    expect(first.deref()).not.toBeUndefined();
    pushObject(buffer);
    // WeakRef targets are only cleared after the current job.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(first.deref()).toBeUndefined();
    expect(buffer.size).toBe(2);
  });

  it('rejects a capacity that is not a positive integer, naming it', () => {
    expect(() => new RingBuffer(0)).toThrow('RingBuffer capacity must be a positive integer, got 0');
    expect(() => new RingBuffer(1.5)).toThrow('RingBuffer capacity must be a positive integer, got 1.5');
  });
});
