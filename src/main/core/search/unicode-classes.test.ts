import { describe, expect, it } from 'vitest';
import { contains } from './code-point-set';
import { isWordCodePoint, perlClass, posixClass, propertyClass } from './unicode-classes';

const code = (char: string): number => char.codePointAt(0) as number;

describe('rg classes as code point sets', () => {
  it('gives \\w, \\d and \\s their Unicode meaning, and the ASCII one inside (?-u)', () => {
    const word = perlClass('w', true);
    for (const char of ['a', 'Z', '_', '7', 'ß', 'é', 'δ', '漢', '\u0301', '\u200d', '٣']) {
      expect(contains(word, code(char)), char).toBe(true);
    }
    for (const char of ['-', ' ', '€', '\u00a0']) {
      expect(contains(word, code(char)), char).toBe(false);
    }
    expect(contains(perlClass('d', true), code('٣'))).toBe(true);
    expect(contains(perlClass('d', false), code('٣'))).toBe(false);
    expect(contains(perlClass('s', true), 0x85)).toBe(true);
    expect(contains(perlClass('w', false), code('é'))).toBe(false);
    expect(isWordCodePoint(code('é'))).toBe(true);
    expect(isWordCodePoint(code('-'))).toBe(false);
  });

  it('resolves property names loosely, as rg does', () => {
    for (const name of ['Greek', 'greek', 'sc=Greek', 'Script=greek', 'Grek']) {
      const set = propertyClass(name);
      expect(contains(set, code('α')), name).toBe(true);
      expect(contains(set, code('a')), name).toBe(false);
    }
    for (const name of ['L', 'Letter', 'letter', 'Alphabetic', 'Lu']) {
      expect(contains(propertyClass(name), code('A')), name).toBe(true);
    }
    expect(() => propertyClass('NoSuchProperty')).toThrow('Unicode property not found');
    expect(() => propertyClass('foo=Greek')).toThrow('Unicode property not found');
  });

  it('knows the POSIX classes and nothing else by that syntax', () => {
    expect(posixClass('alpha')).toEqual([
      [0x41, 0x5a],
      [0x61, 0x7a],
    ]);
    expect(posixClass('foo')).toBeNull();
  });
});
