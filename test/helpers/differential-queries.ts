import { random } from './make-repo';

/** One search to compare with rg. */
export interface GeneratedQuery {
  readonly query: string;
  readonly mode: 'literal' | 'regex';
  readonly ignoreCase: boolean;
}

/** Characters rg's syntax gives a meaning to, escaped to search for themselves. */
const META = /[\\.+*?()|[\]{}^$#&\-~]/g;

/** `text` as an rg regex that matches it literally. */
export function escapeForRg(text: string): string {
  return text.replace(META, '\\$&');
}

const CLASSES = [
  '\\w',
  '\\d',
  '\\s',
  '\\W',
  '\\S',
  '.',
  '[a-z]',
  '[A-Z0-9_]',
  '[^a-z ]',
  '[[:alpha:]]',
  '[[:punct:]]',
  '[[:^digit:]]',
  '\\pL',
  '\\p{Greek}',
  '\\p{Latin}',
  '\\PL',
  '[\\w&&[^_]]',
  '[^\\s]',
  '\\p{Lu}',
  '[é-ü]',
];
const REPEATS = ['+', '*', '?', '{1,3}', '{2}', '+?', '{0,2}', '{1,}'];
const WRAPS: readonly ((inner: string) => string)[] = [
  (inner) => `^${inner}`,
  (inner) => `${inner}$`,
  (inner) => `\\b${inner}\\b`,
  (inner) => `\\b${inner}`,
  (inner) => `${inner}\\B`,
  (inner) => `\\A${inner}`,
  (inner) => `${inner}\\z`,
  (inner) => `(?i)${inner}`,
  (inner) => `(?i:${inner})`,
  (inner) => `(?-i)${inner}`,
  (inner) => `(?s)${inner}`,
  (inner) => `(?x) ${inner.replace(/ /g, '\\ ')} # a comment`,
  (inner) => `(?P<name>${inner})`,
  (inner) => `(?:${inner})`,
  (inner) => `(${inner})+`,
];
/** Patterns rg refuses; the search must refuse them too. */
const REFUSED = ['(a)\\1', '(?=foo)', '(?<!x)y', 'a(b', 'a)b', '[z-a]', 'a{2,1}', '*a', '\\Q', '(?<n>x)', 'x{', '\\p{NoSuchScript}', 'a\\nb', '[[a]', '(?z)a'];
/** Patterns that make backtracking engines take exponential time. */
export const PATHOLOGICAL = ['(a+)+$', '(x+x+)+y', '(\\w+\\s?)*$', '^(a|a)*$', '(a|aa)+$'];

/**
 * `count` queries drawn from `lines` (a corpus's own text) with a seeded generator: literal
 * substrings with punctuation and non-ASCII characters, regexes built from them with classes,
 * alternations, repetitions, anchors, Unicode classes and inline flags, random case flag, and a
 * few patterns rg refuses. The same seed gives the same queries.
 */
export function generateQueries(lines: readonly string[], count: number, seed: number): GeneratedQuery[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const usable = lines.filter((line) => line.trim().length >= 3 && !line.includes('\uFFFD') && !line.includes('\0'));
  const substring = (): string => {
    const chars = [...pick(usable)];
    const length = 1 + Math.floor(next() * Math.min(12, chars.length));
    const start = Math.floor(next() * (chars.length - length + 1));
    return chars.slice(start, start + length).join('');
  };
  const queries: GeneratedQuery[] = [];
  for (let index = 0; index < count; index += 1) {
    const ignoreCase = next() < 0.3;
    const kind = next();
    if (kind < 0.3) {
      queries.push({ query: substring(), mode: 'literal', ignoreCase });
      continue;
    }
    if (kind < 0.34) {
      queries.push({ query: pick(REFUSED), mode: 'regex', ignoreCase });
      continue;
    }
    if (kind < 0.37) {
      queries.push({ query: pick(PATHOLOGICAL), mode: 'regex', ignoreCase });
      continue;
    }
    queries.push({ query: regexFrom(substring(), next, pick), mode: 'regex', ignoreCase });
  }
  return queries;
}

function regexFrom(text: string, next: () => number, pick: <T>(items: readonly T[]) => T): string {
  const chars = [...text];
  let pattern = '';
  for (const char of chars) {
    const roll = next();
    if (roll < 0.15) {
      pattern += pick(CLASSES);
    } else {
      pattern += escapeForRg(char);
    }
    if (next() < 0.15) {
      pattern += pick(REPEATS);
    }
  }
  if (pattern === '') {
    pattern = pick(CLASSES);
  }
  if (next() < 0.2) {
    pattern = `${pattern}|${escapeForRg(chars.slice(0, 2).join(''))}${pick(CLASSES)}`;
  }
  if (next() < 0.5) {
    pattern = pick(WRAPS)(pattern);
  }
  return pattern;
}
