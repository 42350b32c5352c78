import { indexOfKey, keyFile, keyStart, unitKey } from './unit-keys';
import type { UnitLists } from './unit-lists';

/** The unit lists of a merged segment, and per input the map from its ordinals to the merged ones (-1: dropped). */
export interface MergedUnits {
  readonly merged: UnitLists;
  readonly remaps: readonly Int32Array[];
}

/**
 * Merges the unit lists of several segments (or batches): the units whose file `isLive`,
 * sorted by (file id, start) and distinct, since a unit cut by a batch is in two inputs and
 * becomes one ordinal.
 */
export function mergeUnits(inputs: readonly UnitLists[], isLive: (fileId: number) => boolean): MergedUnits {
  const all = new Float64Array(inputs.reduce((sum, input) => sum + input.fileIds.length, 0));
  let count = 0;
  for (const input of inputs) {
    input.fileIds.forEach((id, ordinal) => {
      if (isLive(id)) {
        all[count++] = unitKey(id, input.starts[ordinal] as number);
      }
    });
  }
  const sorted = all.subarray(0, count).sort();
  let distinct = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    if (index === 0 || sorted[index] !== sorted[index - 1]) {
      sorted[distinct++] = sorted[index] as number;
    }
  }
  const keys = sorted.subarray(0, distinct);
  const remaps = inputs.map((input) => input.fileIds.map((id, ordinal) => (isLive(id) ? indexOfKey(keys, unitKey(id, input.starts[ordinal] as number)) : -1)));
  return { merged: { fileIds: Int32Array.from(keys, keyFile), starts: Int32Array.from(keys, keyStart) }, remaps };
}
