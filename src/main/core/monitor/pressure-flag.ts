/**
 * "Memory is short" as one shared Int32, so a thread that runs synchronously (the index writer
 * commits batch after batch without turning its event loop) sees it between two batches. Main
 * sets it when a cleanup runs and clears it once the RSS is back under MEMORY_THRESHOLD_MB.
 */
export class PressureFlag {
  readonly buffer = new SharedArrayBuffer(4);
  private readonly cell = new Int32Array(this.buffer);

  set(short: boolean): void {
    Atomics.store(this.cell, 0, short ? 1 : 0);
  }

  get isSet(): boolean {
    return PressureFlag.read(this.buffer);
  }

  /** Reads a flag's buffer in the thread it was sent to. */
  static read(buffer: SharedArrayBuffer): boolean {
    return Atomics.load(new Int32Array(buffer), 0) !== 0;
  }
}
