import { describe, expect, it } from 'vitest';
import { contains } from './code-point-set';
import { isWordCodePoint, perlClass, propertyClass } from './unicode-classes';
import { UNICODE_TABLES_VERSION } from './unicode-tables';
import { scanV8Class, UNICODE_PERL_SOURCES, type PerlClass } from './v8-class-scan';

const RERUN = `unicode-tables.ts (made with Unicode ${UNICODE_TABLES_VERSION}) differs from what this V8 (Unicode ${process.versions.unicode}) resolves: rerun npm run generate:unicode-tables`;

describe('the committed Unicode tables', () => {
  it.each(['d', 's', 'w'] as const)('hold what the running V8 resolves for \\%s', (name: PerlClass) => {
    expect(perlClass(name, true), RERUN).toEqual(scanV8Class(UNICODE_PERL_SOURCES[name]));
  });

  it('serve the properties that name the same classes', () => {
    expect(propertyClass('word')).toBe(perlClass('w', true));
    expect(propertyClass('digit')).toBe(perlClass('d', true));
    expect(propertyClass('Nd')).toBe(perlClass('d', true));
    expect(propertyClass('whitespace')).toBe(perlClass('s', true));
  });

  it('give \\b the same words as \\w, astral ones included', () => {
    const word = perlClass('w', true);
    // Every range's edges and the code points just outside them, from ASCII to the CJK extensions.
    const probes = word.flatMap(([low, high]) => [low - 1, low, high, high + 1]);
    for (const code of probes.filter((probe) => probe >= 0)) {
      expect(isWordCodePoint(code), code.toString(16)).toBe(contains(word, code));
      expect(isWordCodePoint(code), code.toString(16)).toBe(/^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u.test(String.fromCodePoint(code)));
    }
  });
});
