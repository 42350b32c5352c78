import { describe, expect, it } from 'vitest';
import { DurationWindow, percentile } from './pool-stats';
import { WaiterQueue } from './waiter-queue';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('DurationWindow', () => {
  it('keeps only the most recent durations', () => {
    const window = new DurationWindow(4);
    for (const value of [1000, 1000, 1000, 1000, 1, 2, 3, 4]) {
      window.add(value);
    }
    expect(window.percentile(100)).toBe(4);
    expect(window.percentile(50)).toBe(2);
  });
});

describe('WaiterQueue', () => {
  it('serves first in, first out; removes from anywhere; puts a returning waiter first', () => {
    const queue = new WaiterQueue<string>();
    for (const item of ['a', 'b', 'c', 'd']) {
      queue.push(item);
    }
    expect(queue.remove('c')).toBe(true);
    expect(queue.remove('c')).toBe(false);
    expect(queue.shift()).toBe('a');
    queue.unshift('a');
    expect(queue.size).toBe(3);
    expect(queue.drain()).toEqual(['a', 'b', 'd']);
    expect(queue.shift()).toBeUndefined();
  });
});
