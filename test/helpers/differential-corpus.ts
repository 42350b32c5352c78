import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRepo } from './make-repo';

/**
 * A corpus for comparing search with rg: generateRepo's awkward files (CRLF, invalid UTF-8,
 * NUL bytes, lines longer than a document, non-ASCII names, files over 1 MiB), long runs of
 * `a` and `x` for the pathological patterns, and symlinks of every kind (to a file, to a
 * folder, in loops, out of the root, dangling), which rg does not follow; and names that are
 * not UTF-8 (latin-1): two files whose lossy names are the same, and a folder.
 */
export function writeDifferentialCorpus(root: string, outside: string, seed: number): void {
  generateRepo(root, { seed, files: 36, lines: 40 });
  // Still exactly 1 MiB, but in long lines: 37,000 short ones made every query slow to compare.
  const exact = `${'search exactly at the limit '.repeat(600)}\n`;
  writeFileSync(join(root, 'big', 'exact.txt'), `${exact.repeat(Math.ceil((1024 * 1024) / exact.length)).slice(0, 1024 * 1024 - 1)}\n`);
  // A long line is still a dozen documents at 40,000 characters; at generateRepo's 394,000 half
  // the queries matched it, and the test spent most of its time writing and comparing it.
  shortenFirstLine(join(root, 'long', 'one-line.js'), LONG_LINE);
  const runs = ['a'.repeat(41), `${'a'.repeat(5000)}!`, 'x'.repeat(64), `${'x'.repeat(3000)}y`, 'aaaa aaaa aaaa', 'ελληνικά Ωμέγα αβγ', 'Straße STRASSE straße', 'KELVIN \u212a k K'];
  writeFileSync(join(root, 'runs.txt'), `${runs.join('\n')}\n`);
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), 'search value outside the root\n');
  mkdirSync(join(root, 'loop'), { recursive: true });
  const links: Record<string, string> = {
    'link-to-file.txt': 'runs.txt',
    'link-to-folder': 'src',
    'loop/self': '..',
    'loop/a': 'b',
    'loop/b': 'a',
    'dangling.txt': 'nowhere.txt',
    'out-file.txt': join(outside, 'secret.txt'),
    'out-folder': outside,
  };
  for (const [link, target] of Object.entries(links)) {
    symlinkSync(target, join(root, link));
  }
  writeLatin1Names(root);
}

/**
 * Files under `names/` whose names are latin-1 bytes: caf\xe9.txt and caf\xe8.txt both read
 * caf\uFFFD.txt once decoded, with different contents (generated lines, so the queries drawn
 * from the corpus find them) and one line they share at different line numbers.
 */
function writeLatin1Names(root: string): void {
  const folder = Buffer.from(join(root, 'names'));
  const name = (...parts: string[]): Buffer => Buffer.concat([folder, ...parts.map((part) => Buffer.from(`/${part}`, 'latin1'))]);
  const shared = 'search value in a name that is not UTF-8\n';
  mkdirSync(name('dossier\xff'), { recursive: true });
  writeFileSync(name('caf\xe9.txt'), `${shared}${readFileSync(join(root, 'src', 'file-0.txt'), 'utf8')}\n`);
  writeFileSync(name('caf\xe8.txt'), `${readFileSync(join(root, 'lib', 'file-2.txt'), 'utf8')}\n${shared}`);
  writeFileSync(name('dossier\xff', 'notes.txt'), readFileSync(join(root, 'docs', 'file-4.txt')));
}

const LONG_LINE = 40_000;

function shortenFirstLine(path: string, length: number): void {
  const [first = '', ...rest] = readFileSync(path, 'utf8').split('\n');
  // Cut at a space, so no character is split.
  const cut = first.lastIndexOf(' ', length);
  writeFileSync(path, [first.slice(0, cut === -1 ? length : cut), ...rest].join('\n'));
}

/** The text lines of a corpus's regular files (not following links), for generating queries. */
export function corpusLines(root: string, limit = 20_000): string[] {
  const lines: string[] = [];
  // Names as bytes: a name that is not UTF-8 would not survive a round trip through a string.
  const visit = (folder: Buffer): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true, encoding: 'buffer' })) {
      const path = Buffer.concat([folder, Buffer.from('/'), entry.name]);
      if (lines.length >= limit) {
        return;
      }
      if (entry.isDirectory()) {
        visit(path);
      } else if (entry.isFile() && statSync(path).size <= 1024 * 1024) {
        for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
          if (line.length <= 400 && lines.length < limit) {
            lines.push(line);
          }
        }
      }
    }
  };
  visit(Buffer.from(root));
  return lines;
}
