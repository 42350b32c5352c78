import { describe, expect, it } from 'vitest';
import { highlightSegments, joinRepoPath } from './highlight';

describe('highlightSegments', () => {
  it('splits a line into plain and matching parts', () => {
    expect(highlightSegments('const answer = 42;', [[6, 12]])).toEqual([
      { text: 'const ', match: false },
      { text: 'answer', match: true },
      { text: ' = 42;', match: false },
    ]);
  });

  it('sorts, clamps and merges overlapping ranges', () => {
    expect(
      highlightSegments('abcdef', [
        [4, 99],
        [0, 2],
        [1, 3],
      ]),
    ).toEqual([
      { text: 'abc', match: true },
      { text: 'd', match: false },
      { text: 'ef', match: true },
    ]);
  });

  it('shortens a long line around its first match', () => {
    const text = `${'x'.repeat(1000)}needle${'y'.repeat(1000)}`;
    const segments = highlightSegments(text, [[1000, 1006]], 100);
    expect(segments[0]).toEqual({ text: '…', match: false });
    expect(segments.find((segment) => segment.match)?.text).toBe('needle');
    expect(segments.at(-1)).toEqual({ text: '…', match: false });
    expect(segments.map((segment) => segment.text).join('').length).toBeLessThanOrEqual(102);
  });

  it('starts a line whose match lies far in a few characters before the match', () => {
    const text = `${'a'.repeat(120)}needle tail`;
    const segments = highlightSegments(text, [[120, 126]], 400, 20);
    expect(segments.map((segment) => segment.text)).toEqual(['…', 'a'.repeat(20), 'needle', ' tail']);
  });
});

describe('joinRepoPath', () => {
  it('joins with the separator of the root', () => {
    expect(joinRepoPath('/home/me/repo', 'src/a.ts')).toBe('/home/me/repo/src/a.ts');
    expect(joinRepoPath('/home/me/repo/', 'a.ts')).toBe('/home/me/repo/a.ts');
    expect(joinRepoPath('C:\\code\\repo', 'src/a.ts')).toBe('C:\\code\\repo\\src\\a.ts');
  });
});
