import { describe, expect, it } from 'vitest';
import { unicodeForm, withUnicodeClasses } from './unicode-classes';

const WORD = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`;

describe('withUnicodeClasses', () => {
  it('rewrites the Perl classes outside and inside character classes', () => {
    expect(withUnicodeClasses(String.raw`a\w+\d\s\S\D`)).toBe(String.raw`a[${WORD}]+\p{Nd}\p{White_Space}\P{White_Space}\P{Nd}`);
    expect(withUnicodeClasses(String.raw`[\w.-]`)).toBe(String.raw`[${WORD}.-]`);
    expect(withUnicodeClasses(String.raw`[^\W_]`)).toBe(String.raw`(?:(?![_])[${WORD}])`);
    expect(withUnicodeClasses(String.raw`[\W]`)).toBe(String.raw`[^${WORD}]`);
  });

  it('leaves escaped backslashes, other escapes, a class backspace and brackets inside classes alone', () => {
    for (const pattern of [String.raw`\\w`, String.raw`\p{Lu}\u{1F600}\x41\cJ\k<n>`, String.raw`[\b]`, String.raw`[[\]]`, String.raw`[]\w`]) {
      const rewritten = withUnicodeClasses(pattern);
      expect(rewritten.replaceAll(`[${WORD}]`, String.raw`\w`)).toBe(pattern);
    }
  });

  it('makes \\b and \\B Unicode word boundaries', () => {
    const boundary = new RegExp(withUnicodeClasses(String.raw`\bnaïve\b`), 'u');
    expect(boundary.test('a naïve word')).toBe(true);
    expect(boundary.test('unnaïve')).toBe(false);
    expect(new RegExp(withUnicodeClasses(String.raw`ï\B`), 'u').test('naïve')).toBe(true);
  });

  it('drops escapes of punctuation that keep a pattern from the u flag, and only those', () => {
    expect(unicodeForm(String.raw`a\-b\#c\~d\&e[\-x]`)).toBe(String.raw`a-b#c~d&e[\-x]`);
    expect(unicodeForm(String.raw`a\-b`)).toBe('a-b');
    // Already valid with u, or invalid whatever the escapes: unchanged.
    expect(unicodeForm(String.raw`a\.b`)).toBe(String.raw`a\.b`);
    expect(unicodeForm(String.raw`a\-b\q`)).toBe(String.raw`a\-b\q`);
  });
});
