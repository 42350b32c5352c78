import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMatcher } from '../src/main/core/search/line-matcher';
import { makeTempDir } from './helpers/make-repo';
import { ripgrep, ripgrepOrError } from './helpers/ripgrep';

/** rg's (?-u): the forms kept mean the same on characters; the byte forms are refused with one message. */
const LINES = ['aéb', 'axb', 'ab', 'k', '\u212a', 's', '\u017f', 'KeY sO', 'x_1 é2', 'tab\there'];
const folder = makeTempDir('gitbot-bytes-');
writeFileSync(join(folder.path, 'lines.txt'), `${LINES.join('\n')}\n`);

afterAll(() => {
  folder.remove();
});

function ours(pattern: string): string[] {
  const found: string[] = [];
  createMatcher('regex', pattern, false).scan(LINES.join('\n'), 1, (line, text) => (found.push(`${line}:${text}`), true), false);
  return found;
}

describe('(?-u) as rg has it', () => {
  const kept = ['(?-u)\\w+', '(?-u)(?i)k|S', '(?-u)(?i)[a-k]Y', '(?-u)\\b\\d', '(?-u:\\d)', '(?-u)\\s', '(?-u)[[:alpha:]]_', '(?-u)a\\x78b'];
  it.each(kept)('matches the lines rg matches: %s', (pattern) => {
    expect(ours(pattern)).toEqual(ripgrep(folder.path, pattern).map((hit) => `${hit.line}:${hit.text}`));
  });

  const refused = ['(?-u)a.b', '(?-u)a\\xFFb', '(?-u)a\\Wb', '(?-u)a[^x]b', '(?-u)\\S', '(?-u)[[:^alpha:]]'];
  it.each(refused)('refuses what matches single bytes, which rg accepts: %s', (pattern) => {
    expect('hits' in ripgrepOrError(folder.path, pattern)).toBe(true);
    expect(() => createMatcher('regex', pattern, false)).toThrow(
      `Invalid regular expression "${pattern}": with (?-u), ".", negated classes and escapes above \\x7F match single bytes, which this search cannot match as rg does (it matches characters); remove (?-u) or keep to ASCII classes`,
    );
  });
});
