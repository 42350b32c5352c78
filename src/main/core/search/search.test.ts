import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../../../test/helpers/make-repo';
import { indexedFixture, type IndexedFixture } from '../../../../test/helpers/index-in-process';
import { allMatches } from '../../../../test/helpers/all-matches';
import { ripgrep } from '../../../../test/helpers/ripgrep';
import { readOps } from '../query/read-ops';
import type { SearchMatch } from '../../../shared/types';

let fixture: IndexedFixture;
let root: string;
let reader: BetterSqlite3.Database;

beforeAll(() => {
  // Small documents and batches so lines, files and transactions are cut everywhere.
  fixture = indexedFixture((repo) => generateRepo(repo, { seed: 7, files: 60 }), { maxContentLength: 2000, maxDocumentsPerBatch: 7, chunkSize: 512 });
  ({ root, reader } = fixture);
});

afterAll(() => {
  fixture.close();
});

function all(query: string, mode: 'literal' | 'regex', ignoreCase = false): SearchMatch[] {
  return allMatches(reader, { query, mode, ignoreCase });
}

function comparable(matches: readonly { path: string; line: number }[]): { path: string; line: number }[] {
  return matches.map((match) => ({ path: match.path, line: match.line }));
}

const literals = [
  'search',
  'value',
  '%',
  '_',
  '%_%',
  "it's",
  '"quoted"',
  '[bracket]',
  '(paren)',
  'a.b',
  'c*d',
  '$dollar',
  'naïve',
  '日本語',
  'größe',
  'emoji😀',
  'x',
  'if',
  'back\\slash',
  'tab\there',
  'no such text anywhere',
  'function value',
];

describe('literal search equals ripgrep', () => {
  it.each(literals)('%s', (query) => {
    const expected = ripgrep(root, query, { fixed: true });
    const actual = all(query, 'literal');
    expect(comparable(actual)).toEqual(comparable(expected));
    for (const [index, hit] of expected.entries()) {
      if (hit.text !== null) {
        expect(actual[index]?.text).toBe(hit.text);
      }
    }
  });

  it.each(['SEARCH', 'über', 'école', 'LIKE', 'Se'])('ignoring case: %s', (query) => {
    expect(comparable(all(query, 'literal', true))).toEqual(comparable(ripgrep(root, query, { fixed: true, ignoreCase: true })));
  });

  it('finds no match for a query that only SQL LIKE would match', () => {
    expect(all('s%h', 'literal')).toEqual([]);
    expect(comparable(all('s%h', 'literal'))).toEqual(comparable(ripgrep(root, 's%h', { fixed: true })));
  });

  it('reports the ranges of every match in a line', () => {
    const match = all('value', 'literal').find((candidate) => candidate.ranges.length > 1);
    expect(match).toBeDefined();
    for (const [start, end] of match?.ranges ?? []) {
      expect(match?.text.slice(start, end)).toBe('value');
    }
  });
});

describe('regex search equals ripgrep', () => {
  const patterns = ['sea?rch', 'func\\w+ va', '^search', 'value$', '\\d{3,}', '[A-Z]{3,}', 'co(n|d)st', 'é|ü', '^$', 'line 5\\d\\d ', '\\[bracket\\]'];
  it.each(patterns)('%s', (pattern) => {
    expect(comparable(all(pattern, 'regex'))).toEqual(comparable(ripgrep(root, pattern)));
  });

  it('ignoring case: search', () => {
    expect(comparable(all('s(e)arch', 'regex', true))).toEqual(comparable(ripgrep(root, 's(e)arch', { ignoreCase: true })));
  });

  // Candidates come from every required literal, alternation and optional group (regex-literals.ts).
  const narrowed = [
    String.raw`sea\w+ val`,
    String.raw`fun\w+ion\s+\w+ return`,
    String.raw`(fun|val)\w+ (ret|sea)`,
    String.raw`(Search|value)_?\w*`,
    'under(_score)? ',
    'snake_(case)?_?name',
    'LIKE|%_%',
    String.raw`(naïve|café) \S+`,
    'gr(ö|o)ße',
    '日本語|emoji😀',
    'Über|ÉCOLE',
    'it\'s "quo',
    'co(ns|nd)t?',
    'repo[ .]',
    '[^_]index',
  ];
  it.each(narrowed)('narrowed by its literals: %s', (pattern) => {
    const expected = ripgrep(root, pattern);
    expect(comparable(all(pattern, 'regex'))).toEqual(comparable(expected));
  });

  it.each([String.raw`SEARCH\s+v`, '(über|école)', 'Search|LIKE', 'KEY|SNAKE_CASE', 'na[iï]ve'])('narrowed, ignoring case: %s', (pattern) => {
    expect(comparable(all(pattern, 'regex', true))).toEqual(comparable(ripgrep(root, pattern, { ignoreCase: true })));
  });

  // Where JavaScript's ASCII classes would match and rg's do not (a BOM is no space to rg; ï is a word character).
  const noneForRg = [String.raw`m\sh`, String.raw`ï\b`];
  // rg's \w, \d, \s and \b are Unicode, its `.` matches a CR; JavaScript's are ASCII and `.` stops at CR.
  const unicodeClasses = [
    String.raw`gr\w+e`,
    String.raw`\bna\w+`,
    String.raw`\w+_word`,
    String.raw`[\w]+ve_`,
    String.raw`\d{3}`,
    String.raw`\D\d`,
    String.raw`l\sh`,
    String.raw`m\Sh`,
    String.raw`\Bï`,
    String.raw`[^\W_]+ï`,
    String.raw`[\Wa]ï`,
    String.raw`zw\w+`,
    'a.$',
    String.raw`\bsearch\b`,
    String.raw`\W+`,
    // Escaped punctuation JavaScript accepts only without the u flag: still Unicode classes.
    String.raw`gr\w+e\-?`,
    String.raw`\#?na\w+`,
    ...noneForRg,
  ];
  it.each(unicodeClasses)('Unicode classes as rg has them: %s', (pattern) => {
    const expected = ripgrep(root, pattern);
    expect(comparable(all(pattern, 'regex'))).toEqual(comparable(expected));
    expect(expected.length > 0).toBe(!noneForRg.includes(pattern));
  });

  it('finds at least one hit for each narrowed pattern', () => {
    // Guards the comparisons above against all passing on empty results.
    for (const pattern of ['sea\\w+ val', '(fun|val)\\w+ (ret|sea)', 'gr(ö|o)ße', 'Über|ÉCOLE']) {
      expect(all(pattern, 'regex').length).toBeGreaterThan(0);
    }
  });

  it('rejects an invalid regex with a clear message', () => {
    expect(() => readOps.search(reader, { query: 'a(b', mode: 'regex' })).toThrow('Invalid regular expression "a(b": unclosed group');
  });
});

describe('paging', () => {
  it('concatenated cursor pages equal rg, whatever the page size, sorted by path then line', () => {
    const expected = comparable(ripgrep(root, 'search', { fixed: true }));
    for (const size of [1, 7, 997, 1000]) {
      expect(comparable(allMatches(reader, { query: 'search', mode: 'literal' }, size)), `pages of ${size}`).toEqual(expected);
    }
    const keys = expected.map((match) => `${match.path}\u0000${String(match.line).padStart(8, '0')}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('refuses a page larger than 1,000 matches, a forged cursor and a cursor of another query', () => {
    expect(() => readOps.search(reader, { query: 'value', mode: 'literal', limit: 1001 })).toThrow('A search page holds 1 to 1000 matches; follow nextCursor for more');
    expect(() => readOps.search(reader, { query: 'value', mode: 'literal', cursor: 'not-a-cursor' })).toThrow('Invalid search cursor: pass the nextCursor of the previous page unchanged');
    const cursor = readOps.search(reader, { query: 'value', mode: 'literal', limit: 1 }).nextCursor;
    expect(cursor).toBeDefined();
    expect(() => readOps.search(reader, { query: 'search', mode: 'literal', cursor })).toThrow('This cursor belongs to another search; start the search again without a cursor');
  });

  it('tells the exact totals of matches and files on every page once counted', () => {
    const lines = ripgrep(root, 'value', { fixed: true });
    const exact = { matches: lines.length, files: new Set(lines.map((line) => line.path)).size, exact: true };
    const first = readOps.search(reader, { query: 'value', mode: 'literal', limit: 5 });
    expect(first.matches).toHaveLength(5);
    expect(first.total).toEqual(exact);
    const second = readOps.search(reader, { query: 'value', mode: 'literal', limit: 5, cursor: first.nextCursor });
    expect(second.total).toEqual(exact);
    expect(readOps.countMatches(reader, { query: 'value', mode: 'literal' })).toEqual(exact);
  });
});

describe('words mode', () => {
  it('ranks documents holding the rare word above those with only the common one, one group per file', () => {
    const page = readOps.search(reader, { query: 'snake_case_name bracket', mode: 'words', limit: 1000 });
    expect(page.matches.length).toBeGreaterThan(0);
    // Files come in order of their best document; a file's documents are together, best first.
    const groups: { path: string; scores: number[] }[] = [];
    for (const match of page.matches) {
      if (groups.at(-1)?.path !== match.path) {
        groups.push({ path: match.path, scores: [] });
      }
      groups.at(-1)?.scores.push(match.score ?? 0);
    }
    expect(new Set(groups.map((group) => group.path)).size).toBe(groups.length);
    expect(groups.some((group) => group.scores.length > 1)).toBe(true);
    const bests = groups.map((group) => group.scores[0] as number);
    expect(bests).toEqual([...bests].sort((left, right) => right - left));
    for (const group of groups) {
      expect(group.scores).toEqual([...group.scores].sort((left, right) => right - left));
    }
    const top = page.matches[0];
    expect(top?.text.toLowerCase()).toMatch(/snake_case_name|bracket/);
  });

  it('matches whole words only', () => {
    const page = { matches: allMatches(reader, { query: 'snake', mode: 'words' }) };
    // Only where a line longer than a document was cut inside snake_case_name can a piece end in "snake".
    expect(page.matches.filter((match) => match.path !== 'long/one-line.js')).toEqual([]);
    expect(readOps.search(reader, { query: 'snake_case_name', mode: 'words' }).total.matches).toBeGreaterThan(10);
  });
});

describe('repositories', () => {
  it('lists the indexed repository with its counts', () => {
    const [repository] = readOps.listRepositories(reader);
    expect(repository?.root).toBe(root);
    expect(repository?.files).toBeGreaterThan(60);
    expect(repository?.skipped).toBe(2);
  });

  it('rejects a search in a repository that is not indexed', () => {
    expect(() => readOps.search(reader, { query: 'x', mode: 'literal', repo: '/nowhere' })).toThrow('Repository not indexed: /nowhere');
  });
});
