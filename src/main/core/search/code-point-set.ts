/**
 * Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges: the one
 * form every character class of a pattern is resolved to before it is written out for an
 * engine, so set operations (`[\w&&[^_]]`, `\W`, removing the newline) are plain range math.
 */
export type CodePointRange = readonly [low: number, high: number];
export type CodePointSet = readonly CodePointRange[];

export const MAX_CODE_POINT = 0x10ffff;
export const EMPTY_SET: CodePointSet = [];

/** The set of the given ranges (in any order, possibly overlapping). */
export function setOf(ranges: readonly CodePointRange[]): CodePointSet {
  const sorted = [...ranges].sort((left, right) => left[0] - right[0]);
  const out: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && low <= last[1] + 1) {
      last[1] = Math.max(last[1], high);
    } else {
      out.push([low, high]);
    }
  }
  return out;
}

export function union(left: CodePointSet, right: CodePointSet): CodePointSet {
  return setOf([...left, ...right]);
}

export function complement(set: CodePointSet): CodePointSet {
  const out: CodePointRange[] = [];
  let next = 0;
  for (const [low, high] of set) {
    if (low > next) {
      out.push([next, low - 1]);
    }
    next = high + 1;
  }
  if (next <= MAX_CODE_POINT) {
    out.push([next, MAX_CODE_POINT]);
  }
  return out;
}

/** One pass over both sorted sets: a pattern's every class meets the newline and ASCII sets, `\w` has 800 ranges. */
export function intersect(left: CodePointSet, right: CodePointSet): CodePointSet {
  const out: CodePointRange[] = [];
  let leftIndex = 0;
  let rightIndex = 0;
  while (leftIndex < left.length && rightIndex < right.length) {
    const [leftLow, leftHigh] = left[leftIndex] as CodePointRange;
    const [rightLow, rightHigh] = right[rightIndex] as CodePointRange;
    const low = Math.max(leftLow, rightLow);
    const high = Math.min(leftHigh, rightHigh);
    if (low <= high) {
      out.push([low, high]);
    }
    // The range that ends first can meet nothing further on the other side.
    if (leftHigh < rightHigh) {
      leftIndex += 1;
    } else {
      rightIndex += 1;
    }
  }
  return out;
}

export function subtract(left: CodePointSet, right: CodePointSet): CodePointSet {
  return intersect(left, complement(right));
}

export function symmetricDifference(left: CodePointSet, right: CodePointSet): CodePointSet {
  return union(subtract(left, right), subtract(right, left));
}

/** Whether `code` is in `set`: a binary search, since `\b` asks it for every character of a line. */
export function contains(set: CodePointSet, code: number): boolean {
  let first = 0;
  let last = set.length - 1;
  while (first <= last) {
    const middle = (first + last) >>> 1;
    const [low, high] = set[middle] as CodePointRange;
    if (code < low) {
      last = middle - 1;
    } else if (code > high) {
      first = middle + 1;
    } else {
      return true;
    }
  }
  return false;
}

/** `set` with the other case of each ASCII letter in it. */
export function asciiCaseClosure(set: CodePointSet): CodePointSet {
  const letters = (low: number, high: number, shift: number): CodePointSet => {
    const from = intersect(set, [[low, high]]);
    return from.map(([start, end]) => [start + shift, end + shift] as const);
  };
  return union(set, [...letters(0x41, 0x5a, 0x20), ...letters(0x61, 0x7a, -0x20)]);
}
