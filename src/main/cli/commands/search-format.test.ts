import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SearchMatch } from '../../../shared/types';
import { jsonLine, plainLine } from './search-command';

const matches: SearchMatch[] = [
  { repo: '/r/one', path: 'a "quoted"\\name.ts', line: 1, text: 'tab\there "q" \u2028 \u{1F600}', ranges: [[0, 3], [5, 9]], score: null },
  { repo: '/r/one', path: 'a "quoted"\\name.ts', line: 7, text: '', ranges: [], score: null },
  { repo: '/r/two', path: 'a "quoted"\\name.ts', line: 2, text: 'x', ranges: [[0, 1]], score: null },
  { repo: '/r/two', path: 'dir/ü.js', line: 3, text: '\u0000\u001f', ranges: [[0, 2]], score: null },
];

describe('search output lines', () => {
  it('writes JSON lines exactly as JSON.stringify does, path after path', () => {
    const format = jsonLine();
    for (const match of matches) {
      expect(format(match)).toBe(`${JSON.stringify({ path: match.path, line: match.line, text: match.text, ranges: match.ranges })}\n`);
    }
  });

  it('writes path:line:text with the path relative to the working folder, repository after repository', () => {
    const format = plainLine('/r/one/sub');
    for (const match of matches) {
      expect(format(match)).toBe(`${relative('/r/one/sub', join(match.repo, match.path))}:${match.line}:${match.text}\n`);
    }
  });
});
