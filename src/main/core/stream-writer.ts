/**
 * Writes many small strings or byte runs to a stream in chunks, honouring backpressure: once a chunk is
 * refused (`write()` returned false), the next flush waits for 'drain'. A reader that goes
 * away (EPIPE on a closed pipe, a closed HTTP response) ends the writing instead of growing a
 * buffer: `closed` turns true and every later push is dropped.
 */
export class StreamWriter {
  private pending: (string | Uint8Array)[] = [];
  private size = 0;
  private gone = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** Characters (or bytes) gathered before a chunk is written. */
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

  /** Adds text or bytes; returns true when a chunk is full and `flush()` should be awaited. */
  push(output: string | Uint8Array): boolean {
    if (this.gone) {
      return false;
    }
    this.pending.push(output);
    this.size += output.length;
    return this.size >= this.chunkChars;
  }

  /** Writes what is gathered and waits while the stream's buffer is full. */
  async flush(): Promise<void> {
    if (this.gone || this.pending.length === 0) {
      return;
    }
    const chunk = joined(this.pending);
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

/** One piece as it is; strings joined; bytes (or a mix) concatenated as bytes. */
function joined(pieces: readonly (string | Uint8Array)[]): string | Uint8Array {
  if (pieces.length === 1) {
    return pieces[0] as string | Uint8Array;
  }
  if (pieces.every((piece) => typeof piece === 'string')) {
    return pieces.join('');
  }
  return Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece)));
}
