/**
 * Posting units as sortable numbers. A unit is a run of a file's documents from a line start
 * to a line end; it is named by its file (or the file's rank in path order) and the index of
 * its first document in the file, and a key packs both so that sorting keys sorts by file,
 * then by position in the file.
 */

/**
 * Unit starts one file can have: above the most documents a file can be cut into
 * (MAX_FILE_SIZE at most 1 GiB, MAX_CONTENT_LENGTH at least 1,000 characters: about 2^20).
 * Keys stay below 2^52 for files (or ranks) below 2^31: exact as doubles.
 */
const UNIT_SLOTS = 2 ** 21;

export function unitKey(file: number, start: number): number {
  return file * UNIT_SLOTS + start;
}

/** The file (or rank) of a key. */
export function keyFile(key: number): number {
  return Math.floor(key / UNIT_SLOTS);
}

/** The unit start of a key: the index of the unit's first document in its file. */
export function keyStart(key: number): number {
  return key % UNIT_SLOTS;
}

/** The index of `key` in the sorted `keys`, or -1. */
export function indexOfKey(keys: Float64Array, key: number): number {
  let low = 0;
  let high = keys.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = keys[middle] as number;
    if (value === key) {
      return middle;
    }
    if (value < key) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return -1;
}
