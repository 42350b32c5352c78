import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A file to write: text, raw bytes, or a symlink to a target (relative or absolute). */
export type RepoEntry = string | Buffer | { readonly symlink: string } | { readonly mode: number; readonly content: string };

/** Creates a temporary folder and returns it with a cleanup function. */
export function makeTempDir(prefix = 'gitbot-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes `entries` (relative path → content) under `root`, creating folders as needed. */
export function writeRepo(root: string, entries: Readonly<Record<string, RepoEntry>>): void {
  for (const [relative, entry] of Object.entries(entries)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) {
      writeFileSync(path, entry);
    } else if ('symlink' in entry) {
      symlinkSync(entry.symlink, path);
    } else {
      writeFileSync(path, entry.content);
      chmodSync(path, entry.mode);
    }
  }
}

/** A deterministic pseudo-random generator (mulberry32), so generated repos are reproducible. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const words = [
  'function',
  'const',
  'return',
  'value',
  'index',
  'search',
  'Search',
  'SEARCH',
  'repo',
  'the',
  'a',
  'if',
  'x',
  '100%',
  'under_score',
  'snake_case_name',
  "it's",
  '"quoted"',
  '[bracket]',
  '(paren)',
  '{brace}',
  'a.b',
  'c*d',
  '$dollar',
  'naïve',
  'café',
  'Über',
  'über',
  '日本語',
  'größe',
  'ÉCOLE',
  'école',
  'emoji😀',
  'tab\there',
  'back\\slash',
  '%_%',
  'LIKE',
];

/** One line of plausible, query-rich text. */
export function randomLine(next: () => number): string {
  const count = 1 + Math.floor(next() * 12);
  const parts: string[] = [];
  for (let index = 0; index < count; index += 1) {
    parts.push(words[Math.floor(next() * words.length)] as string);
  }
  return parts.join(next() < 0.2 ? '' : ' ');
}

export interface GeneratedRepoOptions {
  readonly seed?: number;
  readonly files?: number;
  /** Lines per file, at most. */
  readonly lines?: number;
}

/**
 * Generates a repository with no ignore files, the kind the rg-equality tests compare:
 * nested folders, hidden files, CRLF lines, a file without a final newline, invalid UTF-8,
 * a binary, a file over 1 MiB and one of exactly 1 MiB, lines longer than a document,
 * files of many documents, and characters on which JavaScript's regex classes differ from rg's.
 */
export function generateRepo(root: string, options: GeneratedRepoOptions = {}): void {
  const next = random(options.seed ?? 1);
  const files = options.files ?? 60;
  const maxLines = options.lines ?? 80;
  const entries: Record<string, RepoEntry> = {};
  for (let index = 0; index < files; index += 1) {
    const folder = ['src', 'src/deep/er', 'lib', '.hidden', 'docs', 'ünï'][index % 6] as string;
    const lines: string[] = [];
    const count = 1 + Math.floor(next() * maxLines);
    for (let line = 0; line < count; line += 1) {
      lines.push(randomLine(next));
    }
    const newline = index % 7 === 3 ? '\r\n' : '\n';
    entries[`${folder}/file-${index}.txt`] = lines.join(newline) + (index % 5 === 0 ? '' : newline);
  }
  const longLine = Array.from({ length: 9000 }, () => randomLine(next)).join(' ');
  entries['long/one-line.js'] = `${longLine}\nsecond line with search here\n`;
  const many = Array.from({ length: 6000 }, (_, line) => `line ${line} ${randomLine(next)}`).join('\n');
  entries['long/many-documents.txt'] = `${many}\n`;
  entries['bytes/invalid-utf8.txt'] = Buffer.concat([Buffer.from('before search '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' after value\nnext line \xE9 value\n', 'latin1')]);
  entries['bytes/binary.bin'] = Buffer.concat([Buffer.from('search value '), Buffer.from([0, 1, 2, 3]), Buffer.from(' function')]);
  entries['.dotfile'] = 'search in a hidden file\n';
  // Where JavaScript's ASCII \w, \d, \s, \b and `.` differ from rg's Unicode ones.
  entries['unicode/classes.txt'] = 'größe naïve_word\n数字 ٣٤٥ digits\ncrlf line a\r\nnel\u0085here\nbom\ufeffhere\nzw\u200djoin ok\n';
  entries['big/over.txt'] = fill(1024 * 1024 + 1, 'search over the limit\n');
  entries['big/exact.txt'] = fill(1024 * 1024, 'search exactly at the limit\n');
  entries['empty.txt'] = '';
  writeRepo(root, entries);
}

function fill(size: number, line: string): string {
  const text = line.repeat(Math.ceil(size / line.length));
  return text.slice(0, size - 1) + '\n';
}
