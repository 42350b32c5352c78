/** A growable byte buffer for varint-encoded postings. */
export class ByteWriter {
  private bytes = new Uint8Array(64 * 1024);
  length = 0;

  varint(value: number): void {
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.bytes[this.length++] = rest;
  }

  /** The bytes written since `start`, as a view (valid until the next write). */
  view(start: number): Uint8Array {
    return this.bytes.subarray(start, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}
