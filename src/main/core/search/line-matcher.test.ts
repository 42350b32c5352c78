import { RE2JS } from 're2js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMatcher, type Range } from './line-matcher';
import { compileLinear } from './regex-engine';
import { re2Source } from './regex-emit';
import { parseRegex } from './regex-syntax';

function scan(pattern: string, text: string, ignoreCase = false): [number, Range[]][] {
  const found: [number, Range[]][] = [];
  createMatcher('regex', pattern, ignoreCase).scan(text, 1, (line, _text, ranges) => (found.push([line, ranges]), true), false);
  return found;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the regex line matcher', () => {
  it('scans a text with the fixed runs of the pattern and reports the lines the engine matches, numbered from the first', () => {
    const lines = ['de (ai de(AI', 'nothing', 'x', 'De _ai', 'deee-ai', 'de ai', '', 'xde_ai', 'DE!AI'];
    for (const [pattern, ignoreCase] of [
      ['De+[^a-z ]ai', true],
      ['de[^a-z ]ai', false],
      ['e+[!-]ai', true],
    ] as const) {
      const engine = compileLinear(re2Source(parseRegex(pattern, ignoreCase)));
      const expected: [number, string, Range[]][] = [];
      lines.forEach((line, index) => {
        const ranges: Range[] = [];
        engine.forEachMatch(line, (start, end) => ranges.push([start, end]));
        if (ranges.length > 0) {
          expected.push([7 + index, line, ranges]);
        }
      });
      const found: [number, string, Range[]][] = [];
      const matcher = createMatcher('regex', pattern, ignoreCase);
      expect(matcher.scan(lines.join('\n'), 7, (line, text, ranges) => (found.push([line, text, ranges]), true), true)).toBe(true);
      expect(found, pattern).toEqual(expected);
      expect(found.length).toBeGreaterThan(0);
      // A sink that stops ends the scan at once.
      let calls = 0;
      expect(matcher.scan(lines.join('\n'), 7, () => ((calls += 1), false), true)).toBe(false);
      expect(calls).toBe(1);
    }
  });

  it('ends on empty matches next to characters outside the BMP', () => {
    expect(scan(String.raw`\b`, 'a😀b emoji😀')).toEqual([[1, []]]);
    expect(scan('x?', '😀😀\n😀x')).toEqual([
      [1, []],
      [2, [[2, 3]]],
    ]);
  });

  it("keeps rg's Unicode \\b on lines with non-ASCII characters, in both engines", () => {
    expect(scan(String.raw`\bcafé\b`, 'un café noir')).toEqual([[1, [[3, 7]]]]);
    expect(scan(String.raw`caf\b`, 'un café noir')).toEqual([]);
    expect(scan(String.raw`\b(?:caf|thé)\b|x+y`, 'thé café')).toEqual([[1, [[0, 3]]]]);
  });

  it('reports a line where a pattern matches only empty strings without searching it for ranges', () => {
    // The ranges search is the engine's NFA, over the whole line: (\w+\s?)*$ took 162 ms on 20 files.
    const rangesSearches = vi.spyOn(RE2JS.prototype, 'matcher');
    const long = `${'a'.repeat(5000)}!\n${'a '.repeat(2000)}!`;
    expect(scan(String.raw`(\w+\s?)*$`, long)).toEqual([
      [1, []],
      [2, []],
    ]);
    expect(scan('^(a|a)*$', `${'a'.repeat(100)}!`)).toEqual([]);
    expect(rangesSearches).not.toHaveBeenCalled();
    expect(scan(String.raw`(\w+\s?)*$`, 'ab cd\nx!')).toEqual([
      [1, [[0, 5]]],
      [2, []],
    ]);
    // rg -o: nothing on line 1 (no boundary before é), é on line 2.
    expect(scan(String.raw`(?:\bé|x)*$`, 'xé\nx é')).toEqual([
      [1, []],
      [2, [[2, 3]]],
    ]);
    expect(rangesSearches).toHaveBeenCalledTimes(3);
  });

  it('keeps Unicode classes and case folding on ASCII lines, where classes are cut to ASCII', () => {
    expect(scan(String.raw`[\x{212A}]`, 'k\nK', true)).toEqual([
      [1, [[0, 1]]],
      [2, [[0, 1]]],
    ]);
    expect(scan('[ſ]x|y', 'sx Sx', true)).toEqual([
      [
        1,
        [
          [0, 2],
          [3, 5],
        ],
      ],
    ]);
    expect(scan(String.raw`\W+|[^\w\s]`, 'a-b; c\nd.é')).toEqual([
      [
        1,
        [
          [1, 2],
          [3, 5],
        ],
      ],
      [2, [[1, 2]]],
    ]);
    expect(scan(String.raw`(\pL\w*)+!`, 'ab1! é2!')).toEqual([
      [
        1,
        [
          [0, 4],
          [5, 8],
        ],
      ],
    ]);
  });

  it('rules a non-ASCII line out on the DFA before building its marked form for \\b', () => {
    const compiles = vi.spyOn(RE2JS, 'compile');
    // The marked form needs look-behinds, which only the engine's NFA runs.
    const markedForms = (): number => compiles.mock.calls.filter(([, flags]) => flags === RE2JS.LOOKBEHINDS).length;
    expect(scan(String.raw`\b(?:café|cafés)\b`, 'un thé noir\nun café')).toEqual([[2, [[3, 7]]]]);
    expect(markedForms()).toBe(1);
    expect(scan(String.raw`\b(?:café|cafés)\b`, 'un thé noir\nüber')).toEqual([]);
    expect(markedForms()).toBe(1);
  });
});
