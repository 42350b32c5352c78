/**
 * Reads the posting rows PostingBuilder writes (format: indexer/posting-builder.ts): varints
 * one after the other. Search decodes one gram's units from a row, the segment merger every
 * gram's; both go through this cursor. Every value stored is below 2^28, so integer
 * operations decode it.
 */
export class PostingRowReader {
  offset = 0;

  constructor(private readonly data: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.data.length;
  }

  varint(): number {
    const data = this.data;
    let byte = data[this.offset++] as number;
    let value = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = data[this.offset++] as number;
      value |= (byte & 0x7f) << shift;
    }
    return value;
  }

  /** Skips `count` varints: only their last bytes need counting. */
  skip(count: number): void {
    const data = this.data;
    for (let left = count; left > 0;) {
      if ((data[this.offset++] as number) < 0x80) {
        left -= 1;
      }
    }
  }
}
