/**
 * A fixed-size ring of numbers that can always hand out its contents, oldest first, as one
 * contiguous Float64Array view without copying: every value is written twice, at `i` and
 * at `i + capacity`, so the last `capacity` values are a single slice of the backing array.
 * The memory is allocated once; pushing never allocates.
 */
export class SeriesRing {
  readonly capacity: number;
  private readonly data: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.data = new Float64Array(capacity * 2);
  }

  get length(): number {
    return this.filled;
  }

  push(value: number): void {
    this.data[this.next] = value;
    this.data[this.next + this.capacity] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) {
      this.filled += 1;
    }
  }

  /** The newest value, or NaN when empty. */
  last(): number {
    if (this.filled === 0) {
      return Number.NaN;
    }
    return this.data[(this.next + this.capacity - 1) % this.capacity] ?? Number.NaN;
  }

  /** Values oldest first, as a view over the backing array (valid until the next push). */
  view(): Float64Array {
    const start = this.filled < this.capacity ? 0 : this.next;
    return this.data.subarray(start, start + this.filled);
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
}

/** Index of the first element of an ascending array that is >= value (array length if none). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? Number.POSITIVE_INFINITY) < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
