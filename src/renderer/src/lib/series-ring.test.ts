import { describe, expect, it } from 'vitest';
import { lowerBound, SeriesRing } from './series-ring';

describe('SeriesRing', () => {
  it('returns the values oldest first before it is full', () => {
    const ring = new SeriesRing(4);
    ring.push(1);
    ring.push(2);
    expect(Array.from(ring.view())).toEqual([1, 2]);
    expect(ring.last()).toBe(2);
  });

  it('keeps only the last `capacity` values, contiguous and in order, after wrapping', () => {
    const ring = new SeriesRing(3);
    for (let value = 1; value <= 7; value += 1) {
      ring.push(value);
    }
    expect(ring.length).toBe(3);
    expect(Array.from(ring.view())).toEqual([5, 6, 7]);
    expect(ring.last()).toBe(7);
  });

  it('hands out views of one preallocated buffer instead of copies', () => {
    const ring = new SeriesRing(100);
    const first = ring.view();
    for (let value = 0; value < 1000; value += 1) {
      ring.push(value);
    }
    expect(ring.view().buffer).toBe(first.buffer);
    expect(first.buffer.byteLength).toBe(100 * 2 * 8);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SeriesRing(0)).toThrow('capacity must be a positive integer, got 0');
  });

  it('is empty again after clear', () => {
    const ring = new SeriesRing(2);
    ring.push(1);
    ring.clear();
    expect(ring.view().length).toBe(0);
    expect(ring.last()).toBeNaN();
  });
});

describe('lowerBound', () => {
  it('finds the first index not below the value', () => {
    const sorted = Float64Array.of(1, 3, 3, 5);
    expect(lowerBound(sorted, 0)).toBe(0);
    expect(lowerBound(sorted, 3)).toBe(1);
    expect(lowerBound(sorted, 4)).toBe(3);
    expect(lowerBound(sorted, 6)).toBe(4);
  });
});
