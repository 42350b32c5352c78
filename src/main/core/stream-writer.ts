/**
 * Writes many small strings to a stream in chunks, honouring backpressure: once a chunk is
 * refused (`write()` returned false), the next flush waits for 'drain'. A reader that goes
 * away (EPIPE on a closed pipe, a closed HTTP response) ends the writing instead of growing a
 * buffer: `closed` turns true and every later push is dropped.
 */
export class StreamWriter {
  private pending: string[] = [];
  private size = 0;
  private gone = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** Characters gathered before a chunk is written. */
    private readonly chunkChars = 64 * 1024,
  ) {
    const stop = (): void => {
      this.gone = true;
    };
    // Test doubles may be bare writers without events.
    if (typeof stream.once === 'function') {
      stream.once('error', stop);
      stream.once('close', stop);
    }
  }

  /** True once the stream's reader went away. */
  get closed(): boolean {
    return this.gone;
  }

  /** Adds text; returns true when a chunk is full and `flush()` should be awaited. */
  push(text: string): boolean {
    if (this.gone) {
      return false;
    }
    this.pending.push(text);
    this.size += text.length;
    return this.size >= this.chunkChars;
  }

  /** Writes what is gathered and waits while the stream's buffer is full. */
  async flush(): Promise<void> {
    if (this.gone || this.pending.length === 0) {
      return;
    }
    const chunk = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
        this.stream.on('error', done);
      });
    }
  }
}
