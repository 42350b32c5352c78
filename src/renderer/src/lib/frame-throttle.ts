/** Runs `run` at most once per animation frame, however often it is asked for. */
export interface FrameThrottle {
  /** Asks for a run in the next frame (once, whatever the number of asks). */
  schedule(): void;
  /** Runs now if a run is pending (an event that must follow the pending ones, e.g. a run's end). */
  flush(): void;
  cancel(): void;
}

/**
 * Event bursts (indexing progress at 10 Hz, task updates, stats samples that queue up on a busy
 * machine) cost one React render per frame instead of one each: the screen cannot show more.
 * The pending value lives with the caller (a ref or a map); this only decides when to apply it.
 */
export function frameThrottle(run: () => void): FrameThrottle {
  let frame: number | null = null;
  const fire = (): void => {
    frame = null;
    run();
  };
  return {
    schedule() {
      frame ??= requestAnimationFrame(fire);
    },
    flush() {
      if (frame !== null) {
        cancelAnimationFrame(frame);
        fire();
      }
    },
    cancel() {
      if (frame !== null) {
        cancelAnimationFrame(frame);
        frame = null;
      }
    },
  };
}
