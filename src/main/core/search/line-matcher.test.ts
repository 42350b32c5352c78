import { describe, expect, it } from 'vitest';
import { createMatcher, type Range } from './line-matcher';

function scan(pattern: string, text: string): [number, Range[]][] {
  const found: [number, Range[]][] = [];
  createMatcher('regex', pattern, false).scan(text, 1, (line, _text, ranges) => (found.push([line, ranges]), true), false);
  return found;
}

describe('the regex line matcher', () => {
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
});
