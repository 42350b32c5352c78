import { AppError } from '../base/errors';

/** Where a damaged piece of the index lies, for the message. */
export interface IndexLocation {
  readonly segment: number;
  /** The posting row's bucket; absent for the segment's unit lists. */
  readonly bucket?: number;
}

/**
 * The index holds bytes that break its format (a failed checksum, a value out of range). The
 * index is derived data: the message tells the user to re-index, which rewrites it.
 */
export class CorruptIndexError extends AppError {
  constructor(
    readonly location: IndexLocation,
    readonly reason: string,
  ) {
    const part = location.bucket === undefined ? `the unit lists of segment ${location.segment}` : `the posting row of segment ${location.segment}, bucket ${location.bucket}`;
    super('database_error', `The index is damaged: ${part} ${reason}. Re-index the repository to rebuild it.`);
  }
}
