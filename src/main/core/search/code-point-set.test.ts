import { describe, expect, it } from 'vitest';
import { complement, contains, intersect, setOf, subtract, symmetricDifference, union, type CodePointRange, type CodePointSet } from './code-point-set';

/** A seeded generator of small sets, so each run checks the same 500 pairs. */
function randomSets(seed: number, count: number): CodePointSet[] {
  let state = seed;
  const next = (below: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
  return Array.from({ length: count }, () => {
    const ranges: CodePointRange[] = Array.from({ length: next(6) }, () => {
      const low = next(60);
      return [low, low + next(8)];
    });
    return setOf(ranges);
  });
}

/** Sorted, each range non-empty, and a gap of at least one code point between ranges. */
function canonical(set: CodePointSet): boolean {
  return set.every(([low, high], index) => low <= high && (index === 0 || low > (set[index - 1] as CodePointRange)[1] + 1));
}

const OPERATIONS: [string, (left: CodePointSet, right: CodePointSet) => CodePointSet, (left: boolean, right: boolean) => boolean][] = [
  ['union', union, (left, right) => left || right],
  ['intersect', intersect, (left, right) => left && right],
  ['subtract', subtract, (left, right) => left && !right],
  ['symmetricDifference', symmetricDifference, (left, right) => left !== right],
];

describe('code point sets', () => {
  const sets = randomSets(20, 1000);
  it.each(OPERATIONS)('%s holds exactly the code points it should, in sorted, non-adjacent ranges', (_name, operation, member) => {
    const wrong: string[] = [];
    for (let index = 0; index < sets.length; index += 2) {
      const left = sets[index] as CodePointSet;
      const right = sets[index + 1] as CodePointSet;
      const result = operation(left, right);
      const codes = Array.from({ length: 71 }, (_, code) => code);
      if (!canonical(result) || codes.some((code) => contains(result, code) !== member(contains(left, code), contains(right, code)))) {
        wrong.push(`${JSON.stringify(left)} ${JSON.stringify(right)}: ${JSON.stringify(result)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('complements up to the last code point', () => {
    expect(complement([[0x30, 0x39]])).toEqual([
      [0, 0x2f],
      [0x3a, 0x10ffff],
    ]);
    expect(complement([])).toEqual([[0, 0x10ffff]]);
  });
});
