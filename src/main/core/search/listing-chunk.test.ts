import { join, relative } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allMatches } from '../../../../test/helpers/all-matches';
import { indexedFixture, type IndexedFixture } from '../../../../test/helpers/index-in-process';
import type { SearchMatch } from '../../../shared/types';
import { definitions } from '../config/definitions';
import { searchHold } from '../config/memory-budget';
import { readOps } from '../query/read-ops';
import { lineFormat, type ListingArgs, type TextFormat } from './listing-chunk';
import { PlainLines, relativeName } from './plain-lines';
import { useSearchHold } from './search-budget';

const matches: SearchMatch[] = [
  {
    path: 'a "quoted"\\name.ts',
    repo: '/r/one',
    line: 1,
    text: 'tab\there "q" \u2028 \u{1F600}',
    ranges: [
      [0, 3],
      [5, 9],
    ],
    score: null,
  },
  { path: 'a "quoted"\\name.ts', repo: '/r/one', line: 7, text: '', ranges: [], score: null },
  { path: 'a "quoted"\\name.ts', repo: '/r/two', line: 2, text: 'x', ranges: [[0, 1]], score: 1.5 },
  { path: 'dir/ü.js', repo: '/r/two', line: 3, text: '\u0000\u001f', ranges: [[0, 2]], score: null },
  // A latin-1 name: shown lossily, its raw bytes in the match.
  { path: 'caf\uFFFD.txt', repo: '/r/one', pathBytes: Buffer.from('caf\xe9.txt', 'latin1').toString('base64'), line: 1, text: 'x', ranges: [[0, 1]], score: null },
];

describe('listing line formats', () => {
  const written = (format: TextFormat, match: SearchMatch): string => lineFormat(format, match.path, match.repo, match.score, match.pathBytes)(match.line, match.text, match.ranges);

  it('writes the CLI JSON lines exactly as JSON.stringify does', () => {
    for (const match of matches) {
      const bytes = match.pathBytes === undefined ? {} : { pathBytes: match.pathBytes };
      expect(written({ kind: 'json' }, match)).toBe(`${JSON.stringify({ path: match.path, ...bytes, line: match.line, text: match.text, ranges: match.ranges })}\n`);
    }
  });

  it('writes the streamed route a whole match exactly as JSON.stringify does', () => {
    for (const match of matches) {
      expect(written({ kind: 'match' }, match)).toBe(`${JSON.stringify(match)}\n`);
    }
  });
});

describe('plain lines in bytes', () => {
  it('writes the path relative to the working folder, with a raw name and a raw line kept byte for byte', () => {
    const lines = new PlainLines(1024);
    for (const match of matches) {
      lines.file(relativeName('/r/one/sub', match.repo, match.path, match.pathBytes === undefined ? undefined : Buffer.from(match.pathBytes, 'base64')));
      const data = Buffer.from(`>${match.text}<`);
      expect(lines.add(match.line, data, 1, data.length - 1)).toBe(true);
    }
    const latin1 = Buffer.from('caf\xe9 x\r', 'latin1');
    lines.file(relativeName('/r/ü', '/r/ü/d\xfe', '\uFFFD.txt', Buffer.from('\xff.txt', 'latin1')));
    expect(lines.add(1234567890, latin1, 0, latin1.length)).toBe(true);
    const expected = matches.map((match) => {
      const name = match.pathBytes === undefined ? relative('/r/one/sub', join(match.repo, match.path)) : `../caf\uFFFD.txt`;
      return Buffer.from(`${name}:${match.line}:${match.text}\n`);
    });
    const raw = Buffer.concat([Buffer.from('d\u00fe/', 'utf8'), Buffer.from('\xff.txt:1234567890:caf\xe9 x\r\n', 'latin1')]);
    expect(lines.bytes()).toEqual(Buffer.concat([...expected.slice(0, -1), Buffer.from('../caf\xe9.txt:1:x\n', 'latin1'), raw]));
  });

  it('ends at the budget, but always takes a first line longer than it', () => {
    const lines = new PlainLines(64);
    lines.file(Buffer.from('a'));
    const long = Buffer.alloc(100, 0x61);
    expect(lines.add(1, long, 0, 100)).toBe(true);
    expect(lines.add(2, long, 0, 1)).toBe(false);
    expect(lines.bytes().length).toBe(105);
  });
});

describe('a listing read chunk by chunk', () => {
  let fixture: IndexedFixture;
  beforeAll(() => {
    fixture = indexedFixture((repo) => {
      mkdirSync(join(repo, 'src'), { recursive: true });
      for (let file = 0; file < 30; file += 1) {
        const lines = Array.from({ length: 200 }, (_, line) => (line % 3 === 0 ? `const value_${file}_${line} = compute(${line}); // value` : `  other text ${line}`));
        writeFileSync(join(repo, 'src', `file-${String(file).padStart(2, '0')}.ts`), `${lines.join('\n')}\n`);
      }
    }, {});
  });
  afterAll(() => fixture.close());
  afterEach(() => useSearchHold(searchHold(definitions.MEMORY_THRESHOLD_MB.default)));

  /** Every chunk's text, through the cursors, and how many chunks it took. */
  function listing(args: Omit<ListingArgs, 'limit'>, limit = 1_000_000): { text: string; chunks: number; lines: number } {
    // Plain chunks are bytes: all UTF-8 here.
    let text = '';
    let chunks = 0;
    let lines = 0;
    let cursor: string | undefined;
    do {
      const chunk = readOps.searchListing(fixture.reader, { ...args, limit, ...(cursor === undefined ? {} : { cursor }) });
      text += typeof chunk.output === 'string' ? chunk.output : Buffer.from(chunk.output).toString('utf8');
      lines += chunk.lines;
      chunks += 1;
      cursor = chunk.nextCursor;
    } while (cursor !== undefined);
    return { text, chunks, lines };
  }

  it.each([
    ['literal', { query: 'value', mode: 'literal' }],
    ['regex', { query: 'value_\\d+_\\d+', mode: 'regex' }],
    ['regex ignoring case', { query: 'VALUE_1\\d', mode: 'regex', ignoreCase: true }],
    ['words', { query: 'value compute', mode: 'words' }],
  ] as const)('writes the same lines as the pages of the search (%s), in NDJSON and plain', (_name, query) => {
    const pages = allMatches(fixture.reader, query);
    expect(pages.length).toBeGreaterThan(10);
    expect(listing({ ...query, format: { kind: 'match' } }).text).toBe(pages.map((match) => `${JSON.stringify(match)}\n`).join(''));
    expect(listing({ ...query, format: { kind: 'plain', base: fixture.root } }, 7).text).toBe(pages.map((match) => `${match.path}:${match.line}:${match.text}\n`).join(''));
  });

  it('ends a chunk at the page budget, so a listing holds one chunk of text whatever its size', () => {
    // A 4 KiB page budget: 2,048 characters of text per chunk at most (two bytes a character).
    useSearchHold({ searchHoldBytes: 1024 * 1024, searchPageBytes: 4096 });
    const all = listing({ query: 'value', mode: 'literal', format: { kind: 'json' } });
    expect(all.lines).toBe(30 * 67);
    let cursor: string | undefined;
    do {
      const chunk = readOps.searchListing(fixture.reader, { query: 'value', mode: 'literal', format: { kind: 'json' }, limit: 1_000_000, ...(cursor === undefined ? {} : { cursor }) });
      expect(chunk.output.length).toBeLessThanOrEqual(2048);
      cursor = chunk.nextCursor;
    } while (cursor !== undefined);
    const plain = listing({ query: 'value', mode: 'literal', format: { kind: 'plain', base: fixture.root } });
    expect(plain.lines).toBe(30 * 67);
    expect(plain.chunks).toBeGreaterThan(plain.text.length / 2048);
    expect(all.chunks).toBeGreaterThan(all.text.length / 2048);
  });

  it("lists a span of the plan's files (a lane's block) through its own cursors, and tells the plan's shape", () => {
    const query = { query: 'value', mode: 'literal', format: { kind: 'plain', base: fixture.root } } as const;
    const span = (from: number, until: number, limit: number): { text: string; shapes: unknown[] } => {
      let text = '';
      const shapes: unknown[] = [];
      let cursor: string | undefined;
      do {
        const chunk = readOps.searchListing(fixture.reader, { ...query, limit, files: { from, until }, ...(cursor === undefined ? {} : { cursor }) });
        text += Buffer.from(chunk.output).toString('utf8');
        shapes.push(chunk.plan);
        cursor = chunk.nextCursor;
      } while (cursor !== undefined);
      return { text, shapes };
    };
    const whole = listing(query).text;
    const blocks = [span(0, 7, 50), span(7, 20, 1_000_000), span(20, 30, 13)];
    expect(blocks.map((block) => block.text).join('')).toBe(whole);
    // Each block holds its own files' lines: 67 a file.
    expect(blocks.map((block) => block.text.split('\n').length - 1)).toEqual([7 * 67, 13 * 67, 10 * 67]);
    const shape = blocks[0]?.shapes[0];
    expect(shape).toEqual({ files: 30, fingerprint: expect.any(Number) });
    expect(blocks.flatMap((block) => block.shapes).every((each) => JSON.stringify(each) === JSON.stringify(shape))).toBe(true);
    // Past the plan's end: nothing, and still the shape.
    expect(span(30, 40, 10)).toEqual({ text: '', shapes: [shape] });
    // Another plan (files 1 and 10 to 19) has another fingerprint.
    const other = readOps.searchListing(fixture.reader, { query: 'value_1', mode: 'literal', format: { kind: 'json' }, limit: 1, files: { from: 0, until: 1 } });
    expect(other.plan?.files).toBe(11);
    expect(other.plan?.fingerprint).not.toBe((shape as { fingerprint: number }).fingerprint);
  });

  it('refuses a chunk of no lines with the message a caller sees', () => {
    expect(() => readOps.searchListing(fixture.reader, { query: 'value', mode: 'literal', format: { kind: 'json' }, limit: 0 })).toThrow('A listing chunk holds at least one line');
  });
});
