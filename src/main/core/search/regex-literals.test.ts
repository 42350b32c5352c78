import { describe, expect, it } from 'vitest';
import { lineNeedles } from './line-needles';
import { regexQuery, type LiteralQuery } from './regex-literals';

/** A query in a compact, order-preserving notation: strings quoted, and(...), or(...), *. */
function show(query: LiteralQuery): string {
  switch (query.kind) {
    case 'all':
      return '*';
    case 'string':
      return JSON.stringify(query.text);
    case 'and':
      return `and(${query.parts.map(show).join(', ')})`;
    case 'or':
      return `or(${query.parts.map(show).join(', ')})`;
  }
}

describe('the literals a regex requires', () => {
  it.each([
    ['use[A-Z]\\w+State', 'and("use", "State")'],
    ['(foo|bar)baz', 'or("foobaz", "barbaz")'],
    ['colou?r', 'or("colour", "color")'],
    ['(foo)?bar', 'or("foobar", "bar")'],
    ['a(bc)*def', 'and("a", "def")'],
    ['x(abc)+y', 'and("x", "abc", "y")'],
    ['foo|bar', 'or("foo", "bar")'],
    ['foo|\\w+', '*'],
    ['[Ss]earch', 'or("Search", "search")'],
    ['[a-z]+ing', '"ing"'],
    ['\\bvalue\\b', '"value"'],
    ['^const (\\w+) = require', 'and("const ", " = require")'],
    ['a.b', 'and("a", "b")'],
    ['(?:ab|cd){2}ef', 'and(or("ab", "cd"), "ef")'],
    ['(?=abc)\\w+def', '"def"'],
    ['(?<name>qu+x)z\\k<name>', 'and("q", "u", "x", "z")'],
    ['naïve|日本語', 'or("naïve", "日本語")'],
    ['emoji😀*', '"emoji"'],
    ['\\u00e9cole', '"école"'],
    ['\\d{5}[a-f]', '*'],
    ['a{0,3}bcd', '"bcd"'],
    ['[^abc]def', '"def"'],
    ['\\[bracket\\]', '"[bracket]"'],
  ])('%s needs %s', (pattern, expected) => {
    expect(show(regexQuery(pattern))).toBe(expected);
  });

  it('picks the longest required literal as the needle, and every branch of an alternation', () => {
    expect(lineNeedles(regexQuery('use[A-Z]\\w+State'), false)?.texts).toEqual(['State']);
    expect(lineNeedles(regexQuery('(foo|bar)baz'), false)?.texts).toEqual(['foobaz', 'barbaz']);
    expect(lineNeedles(regexQuery('foo|\\w+'), false)).toBeNull();
  });

  it('keeps case-insensitive needles to ASCII that folds only to itself', () => {
    expect(lineNeedles(regexQuery('REACT'), true)?.texts).toEqual(['react']);
    // KELVIN SIGN folds to k and LONG S to s, so k and s are cut out of the needle.
    expect(lineNeedles(regexQuery('KEYWORDS'), true)?.texts).toEqual(['eyword']);
    expect(lineNeedles(regexQuery('Über'), true)?.texts).toEqual(['ber']);
    expect(lineNeedles(regexQuery('日本語'), true)).toBeNull();
  });
});
