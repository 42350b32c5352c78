import { describe, expect, it } from 'vitest';
import { LeakDetector, linearFit } from './leak-detector';

const MIB = 1024 * 1024;

describe('linearFit', () => {
  it('gives the exact slope and a perfect fit for a straight line', () => {
    const points = [0, 1, 2, 3].map((i) => ({ time: 1000 + i * 1000, heap: 50 * MIB + i * 2 * MIB }));
    const { slope, fit } = linearFit(points);
    expect(slope * 60_000).toBeCloseTo(120 * MIB, 0);
    expect(fit).toBeCloseTo(1, 10);
  });

  it('gives slope 0 and fit 0 for a flat line or fewer than two points', () => {
    expect(
      linearFit([
        { time: 0, heap: 5 },
        { time: 10, heap: 5 },
      ]),
    ).toEqual({ slope: 0, fit: 0 });
    expect(linearFit([{ time: 0, heap: 5 }])).toEqual({ slope: 0, fit: 0 });
  });
});

describe('LeakDetector', () => {
  const windowMs = 600_000;

  it('reports a steady rise over the whole window with its slope, and then needs a new window', () => {
    const detector = new LeakDetector({ windowMs });
    // 1 MiB every 10 s after each major GC: 6 MiB per minute.
    let verdict = null;
    let time = 0;
    for (; verdict === null && time <= windowMs; time += 10_000) {
      verdict = detector.record(time, 40 * MIB + (time / 10_000) * MIB);
    }
    expect(time - 10_000).toBe(windowMs);
    expect(verdict?.slopeBytesPerMinute).toBeCloseTo(6 * MIB, 0);
    expect(verdict?.growthBytes).toBeCloseTo(60 * MIB, 0);
    expect(verdict?.samples).toBe(61);
    expect(verdict?.fit).toBeCloseTo(1, 6);
    // Still rising, but the evidence was used up: nothing until another full window.
    for (let later = time; later < time + windowMs - 10_000; later += 10_000) {
      expect(detector.record(later, 40 * MIB + (later / 10_000) * MIB)).toBeNull();
    }
    expect(detector.record(time + windowMs, 40 * MIB + ((time + windowMs) / 10_000) * MIB)?.slopeBytesPerMinute).toBeCloseTo(6 * MIB, 0);
  });

  it('does not report before a whole window has been observed', () => {
    const detector = new LeakDetector({ windowMs });
    for (let time = 0; time < windowMs; time += 5_000) {
      expect(detector.record(time, 40 * MIB + time * 100)).toBeNull();
    }
  });

  it('ignores a saw-tooth: the heap climbs and falls back', () => {
    const detector = new LeakDetector({ windowMs });
    for (let time = 0; time <= 2 * windowMs; time += 10_000) {
      const phase = (time / 10_000) % 12;
      expect(detector.record(time, 40 * MIB + phase * 4 * MIB)).toBeNull();
    }
  });

  it('ignores growth smaller than the minimum over the window', () => {
    const detector = new LeakDetector({ windowMs, minGrowthBytes: 8 * MIB });
    // 100 KiB per minute: 1 MiB over the window.
    for (let time = 0; time <= 2 * windowMs; time += 10_000) {
      expect(detector.record(time, 40 * MIB + (time / 60_000) * 100 * 1024)).toBeNull();
    }
  });

  it('ignores a noisy heap whose trend explains little of its variation', () => {
    const detector = new LeakDetector({ windowMs, minFit: 0.6 });
    for (let time = 0, i = 0; time <= 2 * windowMs; time += 10_000, i += 1) {
      // Small drift (12 MiB over the window) buried under ±20 MiB alternation.
      const noise = i % 2 === 0 ? 20 * MIB : -20 * MIB;
      expect(detector.record(time, 100 * MIB + (time / windowMs) * 12 * MIB + noise)).toBeNull();
    }
  });

  it('keeps at most 200 points per window however often GC runs', () => {
    const detector = new LeakDetector({ windowMs: 10_000, minGrowthBytes: Number.MAX_SAFE_INTEGER });
    for (let time = 0; time < 30_000; time += 1) {
      detector.record(time, MIB);
    }
    expect(detector.size).toBeLessThanOrEqual(201);
    expect(detector.size).toBeGreaterThanOrEqual(199);
  });
});
