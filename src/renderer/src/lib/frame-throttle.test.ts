import { describe, expect, it, vi } from 'vitest';
import { frameThrottle } from './frame-throttle';

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

describe('frameThrottle', () => {
  it('runs once in the next frame however often it is asked', async () => {
    const run = vi.fn();
    const throttle = frameThrottle(run);
    for (let index = 0; index < 100; index += 1) throttle.schedule();
    expect(run).not.toHaveBeenCalled();
    await frame();
    expect(run).toHaveBeenCalledTimes(1);
    await frame();
    expect(run).toHaveBeenCalledTimes(1);
    throttle.schedule();
    await frame();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('flushes a pending run at once, and does nothing when none is pending', async () => {
    const run = vi.fn();
    const throttle = frameThrottle(run);
    throttle.flush();
    expect(run).not.toHaveBeenCalled();
    throttle.schedule();
    throttle.flush();
    expect(run).toHaveBeenCalledTimes(1);
    await frame();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('drops a pending run when cancelled (unmount)', async () => {
    const run = vi.fn();
    const throttle = frameThrottle(run);
    throttle.schedule();
    throttle.cancel();
    await frame();
    expect(run).not.toHaveBeenCalled();
  });
});
