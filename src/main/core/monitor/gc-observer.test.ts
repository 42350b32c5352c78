import { describe, expect, it } from 'vitest';
import type { GcEvent } from '../../../shared/types';
import { GcObserver } from './gc-observer';
import { forceGc } from './testing';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('GcObserver', () => {
  it('buffers GC events and reports each major GC at once', async () => {
    const gc = forceGc();
    const majors: GcEvent[] = [];
    const observer = new GcObserver((event) => majors.push(event));
    try {
      const before = Date.now();
      gc();
      gc();
      await tick();
      const { events, dropped } = observer.take();
      expect(dropped).toBe(0);
      const major = events.filter((event) => event.kind === 'major');
      expect(major.length).toBeGreaterThanOrEqual(2);
      expect(majors.length).toBe(major.length);
      for (const event of major) {
        expect(event.durationMs).toBeGreaterThan(0);
        expect(event.time).toBeGreaterThanOrEqual(before - 5);
        expect(event.time).toBeLessThanOrEqual(Date.now());
      }
      // Taken: the buffer starts empty again.
      expect(observer.take().events).toEqual([]);
    } finally {
      observer.dispose();
    }
    gc();
    await tick();
    expect(observer.take().events).toEqual([]);
  });
});
