import { describe, expect, it } from 'vitest';
import { createMatcher } from './line-matcher';
import { lineNeedles, visitNeedleLines, type Needles } from './line-needles';
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
    ['(foo|bar)baz', 'or("foobaz", "barbaz")'],
    ['colou?r', 'or("colour", "color")'],
    ['(foo)?bar', 'or("foobar", "bar")'],
    ['a(bc)*def', 'and("a", "def")'],
    ['x(abc)+y', 'and("x", "abc", "y")'],
    ['foo|bar', 'or("foo", "bar")'],
    ['foo|\\w+', '*'],
    ['[Ss]earch', 'or("Search", "search")'],
    ['\\bvalue\\b', '"value"'],
    ['^const (\\w+) = require', 'and("const ", " = require")'],
    ['a.b', 'and("a", "b")'],
    ['(?:ab|cd){2}ef', 'and(or("ab", "cd"), "ef")'],
    ['(?i:abc)\\w+def', '"def"'],
    ['(?i)abc\\w+def', '*'],
    ['(?P<name>qu+x)z', 'and("q", "u", "x", "z")'],
    ['\\Aab(?s:.)\\z[[:digit:]]', '"ab"'],
    ['\\p{Greek}foo\\pL', '"foo"'],
    ['(?x) a b # comment', '"ab"'],
    ['naïve|日本語', 'or("naïve", "日本語")'],
    ['emoji😀*', '"emoji"'],
    ['\\u00e9cole', '"école"'],
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
    // Short alternatives hit nearly every line: no prefilter rather than six passes.
    expect(lineNeedles(regexQuery('\\d{5}[a-f]'), false)).toBeNull();
    expect(lineNeedles(regexQuery('[a-h]+ing'), false)?.texts).toEqual(['ing']);
    // Indentation is on most lines: three letters filter better than four spaces.
    expect(lineNeedles(regexQuery('    \\w+hht'), false)?.texts).toEqual(['hht']);
    expect(lineNeedles(regexQuery('\\t\\tabcd\\t\\w+abc'), false)?.texts).toEqual(['\t\tabcd\t']);
  });

  it('keeps case-insensitive needles to ASCII, with the characters that fold into it', () => {
    expect(lineNeedles(regexQuery('REACT'), true)?.texts).toEqual(['react']);
    // KELVIN SIGN folds to k and LONG S to s: a line may spell the needle with them.
    expect(lineNeedles(regexQuery('KEYWORDS'), true)?.texts).toEqual(['keywords', expect.any(String), expect.any(String)]);
    expect(lineNeedles(regexQuery('Über'), true)?.texts).toEqual(['ber']);
    expect(lineNeedles(regexQuery('日本語'), true)).toBeNull();
  });

  it('visits the lines that spell a case-insensitive needle with KELVIN SIGN or LONG S', () => {
    const needles = lineNeedles(regexQuery('onsec|keys'), true);
    const data = Buffer.from('plain\n\u212aEYS here\nreſponſeCode\nrespONSECode\nnothing', 'utf8');
    const visited: [number, string][] = [];
    visitNeedleLines(data, 1, needles as Needles, (text, line) => (visited.push([line, text]), true));
    expect(visited).toEqual([
      [2, '\u212aEYS here'],
      [3, 'reſponſeCode'],
      [4, 'respONSECode'],
    ]);
  });
});

/** The strings prefix + c + suffix for each character c from `first` to `last`. */
function each(first: string, last: string, prefix = '', suffix = ''): string[] {
  const texts: string[] = [];
  for (let code = first.charCodeAt(0); code <= last.charCodeAt(0); code += 1) {
    texts.push(prefix + String.fromCharCode(code) + suffix);
  }
  return texts;
}

function anyOf(texts: readonly string[]): string {
  return `or(${texts.map((text) => JSON.stringify(text)).join(', ')})`;
}

describe('character classes with ranges', () => {
  it('gives up on classes too big to be worth a set: use[A-Z]\\w+State needs "use" and "State"', () => {
    expect(show(regexQuery('use[A-Z]\\w+State'))).toBe('and("use", "State")');
    expect(show(regexQuery('x[A-H]y'))).toBe(anyOf(each('A', 'H', 'x', 'y')));
    expect(show(regexQuery('x[A-I]y'))).toBe('and("x", "y")');
  });

  it.each([
    ['[a-c]x', anyOf(['ax', 'bx', 'cx'])],
    ['x[0-2]y', anyOf(['x0y', 'x1y', 'x2y'])],
    ['[A-Da-d]', anyOf([...each('A', 'D'), ...each('a', 'd')])],
    ['[a-c0-1_]!', anyOf(['0!', '1!', '_!', 'a!', 'b!', 'c!'])],
    ['[a-cx]y', anyOf(['ay', 'by', 'cy', 'xy'])],
    ['[a-c-e]m', anyOf(['-m', 'am', 'bm', 'cm', 'em'])],
    ['[--/]k', anyOf(['-k', '.k', '/k'])],
    ['[\\x41-\\x43]n', anyOf(['An', 'Bn', 'Cn'])],
    ['[é-ë]t', anyOf(['ét', 'êt', 'ët'])],
    ['[😀-😂]!', anyOf(['😀!', '😁!', '😂!'])],
    ['[a-z]+ing', '"ing"'],
    ['[a-h]+ing', `and(${anyOf(each('a', 'h'))}, "ing")`],
    ['\\d{5}[a-f]', anyOf(each('a', 'f'))],
  ])('%s needs %s', (pattern, expected) => {
    expect(show(regexQuery(pattern))).toBe(expected);
  });

  it('treats a - first or last as a member', () => {
    expect(show(regexQuery('[-a]x'))).toBe(anyOf(['-x', 'ax']));
    expect(show(regexQuery('[a-]x'))).toBe(anyOf(['-x', 'ax']));
    expect(show(regexQuery('[-]x'))).toBe('"-x"');
    expect(show(regexQuery('[a-c-]x'))).toBe(anyOf(['-x', 'ax', 'bx', 'cx']));
  });

  it('reads escaped members', () => {
    expect(show(regexQuery('[\\]]z'))).toBe('"]z"');
    expect(show(regexQuery('[\\-]z'))).toBe('"-z"');
    expect(show(regexQuery('[\\-.]v'))).toBe(anyOf(['-v', '.v']));
    expect(show(regexQuery('[\\]-a]'))).toBe(anyOf([']', '^', '_', '`', 'a']));
    expect(show(regexQuery('[\\t ]x'))).toBe(anyOf(['\tx', ' x']));
    expect(() => regexQuery('[\\b]x')).toThrow('invalid escape sequence found in character class');
  });

  it('keeps the cross product within bounds: [a-h][a-c]foo degrades to a query', () => {
    expect(show(regexQuery('[a-h][a-b]'))).toBe(anyOf(each('a', 'h').flatMap((first) => [`${first}a`, `${first}b`])));
    expect(show(regexQuery('[a-h][a-c]foo'))).toBe(`and(${anyOf(each('a', 'h'))}, ${anyOf(each('a', 'c', '', 'foo'))})`);
    // 8 + 8 strings still fit; one more and the alternation is a query.
    expect(show(regexQuery('(use[A-H]|[a-h])x'))).toBe(anyOf([...each('A', 'H', 'use', 'x'), ...each('a', 'h', '', 'x')]));
    expect(show(regexQuery('(use[A-H]|[a-h]|z)x'))).toBe(`and(${anyOf([...each('A', 'H', 'use'), ...each('a', 'h'), 'z'])}, "x")`);
    // Long runs of classes stay linear in the pattern, every `or` at most 16 strings.
    const long = regexQuery('[a-h]'.repeat(40));
    const widest = (node: LiteralQuery): number => (node.kind === 'and' || node.kind === 'or' ? Math.max(node.kind === 'or' ? node.parts.length : 0, ...node.parts.map(widest)) : 0);
    expect(widest(long)).toBeLessThanOrEqual(16);
    expect(show(long).length).toBeLessThan(10_000);
  });

  it.each([
    ['[^a-z]x', '"x"'],
    ['[^-]x', '"x"'],
    ['[\\w.]x', '"x"'],
    ['[\\d-]x', '"x"'],
    ['[\\s]x', '"x"'],
    ['[\\p{L}]x', '"x"'],
    ['[a-z0-9_]x', '"x"'],
    ['[A-z]x', '"x"'],
  ])('gives up on the class in %s: needs %s', (pattern, expected) => {
    expect(show(regexQuery(pattern))).toBe(expected);
  });

  it('reads astral characters and every hexadecimal escape by code point', () => {
    expect(show(regexQuery('[😀]x\\-'))).toBe('"😀x-"');
    expect(show(regexQuery('😀?x\\-'))).toBe(anyOf(['😀x-', 'x-']));
    expect(show(regexQuery('\\u{1F600}x\\x41\\x{42}\\u0043\\U00000044'))).toBe('"😀xABCD"');
  });

  it.each([
    ['[a-\\d]x', 'invalid range boundary, must be a literal'],
    ['[z-a]x', 'invalid character class range, the start must be <= the end'],
    ['[[a]x', 'unclosed character class'],
    ['[^]x', 'unclosed character class'],
    ['[]|.', 'unclosed character class'],
    ['[abc', 'unclosed character class'],
    ['a\\cJb', 'unrecognized escape sequence'],
    ['(a)\\1', 'backreferences are not supported'],
    ['(?<=a)b', 'look-around, including look-ahead and look-behind, is not supported'],
  ])('refuses %s as rg does: %s', (pattern, reason) => {
    expect(() => regexQuery(pattern)).toThrow(`Invalid regular expression "${pattern}": ${reason}`);
  });
});

/** Whether `line` satisfies `query`, a string node meaning the line includes its text. */
function satisfies(query: LiteralQuery, line: string, fold: (text: string) => string): boolean {
  switch (query.kind) {
    case 'all':
      return true;
    case 'string':
      return fold(line).includes(fold(query.text));
    case 'and':
      return query.parts.every((part) => satisfies(part, line, fold));
    case 'or':
      return query.parts.some((part) => satisfies(part, line, fold));
  }
}

/** The search's own verifier (rg's semantics) for one pattern, as a line test. */
function compile(pattern: string, flags: string): { test(line: string): boolean } {
  const matcher = createMatcher('regex', pattern, flags === 'i');
  return {
    test(line) {
      let found = false;
      matcher.scan(line, 1, () => ((found = true), false), false);
      return found;
    },
  };
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('every line a regex matches satisfies its literal query', () => {
  // Each pattern with one line it matches, so the property is never checked on misses only.
  const cases: [string, string][] = [
    ['use[A-Z]\\w+State', 'const x = useFooState();'],
    ['[a-c]x', 'bx'],
    ['[A-Z][a-z]foo', 'Xyfoo'],
    ['x[0-9a-f]{2}y', 'x3ay'],
    ['[A-Fa-f0-9]+-id', 'be9-id'],
    ['(get|set)[A-Z]\\w*', 'setValue'],
    ['[\\-.]v', 'a-v'],
    ['a[-_]b', 'a_b'],
    ['a[_-]b', 'a-b'],
    ['[\\]]z', ']z'],
    ['[^a-z]q', 'Aq'],
    ['\\w[a-c]\\d', 'xb7'],
    ['colou?r[s-u]', 'colort'],
    ['(ab|c[d-f])g', 'ceg'],
    ['[x-z]?w[0-2]', 'yw1'],
    ['[a-e][a-e]', 'ce'],
    ['[😀-😂]!', '😁!'],
    ['[é-ë]t', 'êt'],
    ['[--/]k', '.k'],
    ['[a-c-e]m', '-m'],
    ['[\\x41-\\x43]n', 'Bn'],
    ['[\\t ]+end', ' \tend'],
    ['\\bfoo[A-C]*bar', 'fooABbar'],
    ['(?:[a-b]|[x-y]){2}z', 'axz'],
    ['[abc]{1,2}d', 'cbd'],
    ['[a-z0-9_]+=', 'a_1='],
    ['[A-Z]{2,}[0-9]', 'ABC9'],
    ['(use[A-Z]|[0-3])?x', 'useQx'],
    ['[😀]x\\-', '😀x-'],
    ['😀?x\\-', '😀x-'],
    ['\\u{41}x\\-', 'Ax-'],
    ['(?i)ab(?-i)Cd', 'ABCd'],
    ['[[:upper:]][^]x]y', 'Azy'],
    ['\\bé\\w+', 'x été'],
    ['[\\w&&[^a-c]]+q', 'déq'],
    ['(?x) e n d', 'end'],
  ];
  const alphabet = [...'abcdefxyzABCDEFKSQ0129 -_.]=!\té😀😁🈀', 'use', 'State', 'get', 'set', 'foo', 'bar', 'colo', 'end', 'uu'];

  /** Lines near `sample`: a few random edits, or random words from the alphabet. */
  function lines(sample: string, pattern: string, seed: number): string[] {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const words = [...alphabet, ...(pattern.match(/[A-Za-z]{2,}/g) ?? [])];
    const out = [sample];
    for (let count = 0; count < 1500; count += 1) {
      if (count % 2 === 0) {
        const units = [...sample];
        for (let edit = 1 + Math.floor(next() * 3); edit > 0; edit -= 1) {
          const at = Math.floor(next() * (units.length + 1));
          const kind = next();
          if (kind < 0.4) {
            units.splice(at, 0, pick(words));
          } else if (kind < 0.7) {
            units.splice(at, 1);
          } else {
            units.splice(at, 1, pick(words));
          }
        }
        out.push(units.join(''));
      } else {
        let line = '';
        for (let length = Math.floor(next() * 8); length > 0; length -= 1) {
          line += pick(words);
        }
        out.push(line);
      }
    }
    return out;
  }

  it.each(cases)('%s', (pattern, sample) => {
    const query = regexQuery(pattern);
    const regex = compile(pattern, '');
    expect(regex.test(sample)).toBe(true);
    let matched = 0;
    for (const line of lines(sample, pattern, pattern.length * 7919)) {
      if (regex.test(line)) {
        matched += 1;
        expect({ line, holds: satisfies(query, line, (text) => text) }).toEqual({ line, holds: true });
      }
    }
    expect(matched).toBeGreaterThan(1);
  });

  it.each(cases)('ignoring case, with the strings folded by the caller: %s', (pattern, sample) => {
    const query = regexQuery(pattern, true);
    const regex = compile(pattern, 'i');
    // Lower-casing stands in for the caller's folding (the alphabet has no LONG S).
    const fold = (text: string): string => text.toLowerCase();
    for (const line of lines(sample.toUpperCase(), pattern, pattern.length * 104729)) {
      if (regex.test(line)) {
        expect({ line, holds: satisfies(query, line, fold) }).toEqual({ line, holds: true });
      }
    }
  });
});
