import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { re2Source } from './regex-emit';
import { nonEmptyForm, nullable } from './regex-nonempty';
import { parseRegex } from './regex-syntax';

const PATTERNS = [String.raw`(\w+\s?)*$`, '^(a|a)*$', 'a*', String.raw`(?:\b|a)*b?`, String.raw`(a?\B)*(b|)`, 'x?(ab)*$', String.raw`(?:^|\s)a*`, 'a{0,3}?b*'];
const ALPHABET = ['a', 'b', ' ', 'x', '!'];

/** Every line of up to `length` characters of ALPHABET. */
function lines(length: number): string[] {
  let out = [''];
  const all = [''];
  for (let size = 1; size <= length; size += 1) {
    out = out.flatMap((line) => ALPHABET.map((char) => line + char));
    all.push(...out);
  }
  return all;
}

function nonEmptyMatch(regex: RE2JS, line: string): boolean {
  const matcher = regex.matcher(line);
  while (matcher.find()) {
    if (matcher.end() > matcher.start()) {
      return true;
    }
  }
  return false;
}

describe('the non-empty form of a pattern', () => {
  it('matches every line where the pattern has a non-empty match', () => {
    const every = lines(5);
    for (const pattern of PATTERNS) {
      const node = parseRegex(pattern, false);
      expect(nullable(node), pattern).toBe(true);
      const original = RE2JS.compile(re2Source(node));
      const form = nonEmptyForm(node);
      const gate = form === null ? null : RE2JS.compile(re2Source(form));
      const missed = every.filter((line) => nonEmptyMatch(original, line) && !(gate?.test(line) ?? false));
      expect(missed, pattern).toEqual([]);
    }
  });

  it('is null for a pattern that matches only the empty string', () => {
    expect(nonEmptyForm(parseRegex(String.raw`^\b$|(?:)`, false))).toBeNull();
  });
});
