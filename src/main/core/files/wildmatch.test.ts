import { describe, expect, it } from 'vitest';
import { wildmatch } from './wildmatch';

// Cases of git's own test of wildmatch (t/t3070-wildmatch.sh), with WM_PATHNAME: [matches, text, pattern].
const pathnameCases: ReadonlyArray<readonly [boolean, string, string]> = [
  [true, 'foo', 'foo'],
  [false, 'foo', 'bar'],
  [true, 'foo', '???'],
  [false, 'foo', '??'],
  [true, 'foo', '*'],
  [true, 'foo', 'f*'],
  [false, 'foo', '*f'],
  [true, 'foo', '*foo*'],
  [true, 'foobar', '*ob*a*r*'],
  [true, 'aaaaaaabababab', '*ab'],
  [true, 'foo*', 'foo\\*'],
  [false, 'foobar', 'foo\\*bar'],
  [true, 'f\\oo', 'f\\\\oo'],
  [true, 'ball', '*[al]?'],
  [false, 'ten', '[ten]'],
  [true, 'ten', '**[!te]'],
  [false, 'ten', '**[!ten]'],
  [true, 'ten', 't[a-g]n'],
  [false, 'ten', 't[!a-g]n'],
  [true, 'ton', 't[!a-g]n'],
  [true, 'ton', 't[^a-g]n'],
  [true, 'a]b', 'a[]]b'],
  [true, 'a-b', 'a[]-]b'],
  [true, 'a]b', 'a[]-]b'],
  [false, 'aab', 'a[]-]b'],
  [true, 'aab', 'a[]a-]b'],
  [true, ']', ']'],
  [false, 'foo/baz/bar', 'foo*bar'],
  [false, 'foo/baz/bar', 'foo**bar'],
  [true, 'foobazbar', 'foo**bar'],
  [true, 'foo/baz/bar', 'foo/**/bar'],
  [true, 'foo/baz/bar', 'foo/**/**/bar'],
  [true, 'foo/b/a/z/bar', 'foo/**/bar'],
  [true, 'foo/b/a/z/bar', 'foo/**/**/bar'],
  [true, 'foo/bar', 'foo/**/bar'],
  [true, 'foo/bar', 'foo/**/**/bar'],
  [false, 'foo/bar', 'foo?bar'],
  [false, 'foo/bar', 'foo[/]bar'],
  [false, 'foo/bar', 'f[^eiu][^eiu][^eiu][^eiu][^eiu]r'],
  [true, 'foo-bar', 'f[^eiu][^eiu][^eiu][^eiu][^eiu]r'],
  [true, 'foo', '**/foo'],
  [true, 'XXX/foo', '**/foo'],
  [true, 'bar/baz/foo', '**/foo'],
  [false, 'bar/baz/foo', '*/foo'],
  [false, 'foo/bar/baz', '**/bar*'],
  [true, 'deep/foo/bar/baz', '**/bar/*'],
  [false, 'deep/foo/bar/baz/', '**/bar/*'],
  [true, 'deep/foo/bar/baz/', '**/bar/**'],
  [false, 'deep/foo/bar', '**/bar/*'],
  [true, 'deep/foo/bar/', '**/bar/**'],
  [false, 'foo/bar/baz', '**/bar**'],
  [true, 'foo/bar/baz/x', '*/bar/**'],
  [false, 'deep/foo/bar/baz/x', '*/bar/**'],
  [true, 'deep/foo/bar/baz/x', '**/bar/*/*'],
  [false, 'acrt', 'a[c-c]st'],
  [true, 'acrt', 'a[c-c]rt'],
  [false, ']', '[!]-]'],
  [true, 'a', '[!]-]'],
  [false, '-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1', '-*-*-*-*-*-*-12-*-*-*-m-*-*-*'],
  [true, 'XXX/adobe/courier/bold/o/normal//12/120/75/75/m/70/iso8859/1', 'XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*'],
  [false, '/adobe/courier/bold/o/normal//12/120/75/75/X/70/iso8859/1', '/*/*/*/*/*/*/12/*/*/*/m/*/*/*'],
  [true, 'abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt', '**/*a*b*g*n*t'],
  [false, 'abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz', '**/*a*b*g*n*t'],
  [true, '[ab]', '\\[ab]'],
  [true, '?a?b', '\\??\\?b'],
  [true, '5', '[[:digit:][:upper:][:space:]]'],
  [false, 'a', '[[:digit:][:upper:][:space:]]'],
  [true, '.', '[[:punct:]]'],
  [false, 'a', '[[:nope:]]'],
  [false, 'a', '[a'],
];

describe('wildmatch', () => {
  it.each(pathnameCases)('%s for %s against %s, as git', (expected, text, pattern) => {
    expect(wildmatch(pattern, text, true)).toBe(expected);
  });

  it('lets * cross slashes without pathname, as a name-only rule never sees one', () => {
    expect(wildmatch('foo*bar', 'foo/baz/bar', false)).toBe(true);
    expect(wildmatch('*.js', 'a.js', false)).toBe(true);
  });

  it('answers a pathological pattern in bounded time (git aborts hopeless backtracking)', () => {
    const text = 'a'.repeat(4000);
    expect(wildmatch(`${'*a'.repeat(60)}b`, text, true)).toBe(false);
  });
});
