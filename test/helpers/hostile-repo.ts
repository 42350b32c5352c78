import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Generators of hostile repositories on real disk: every kind of symlink, FIFOs and sockets,
 * huge ignore files, deep trees, names that are not UTF-8 and awkward contents. Each writes
 * under a root the caller owns (a temp dir) and returns what it wrote, so a test can assert on it.
 */

/** Creates a FIFO (named pipe) at `path`; opening it for reading blocks until a writer comes. */
export function makeFifo(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync('mkfifo', [path]);
}

/**
 * Leaves a Unix socket file at `path`. The server listens in a short temp path (socket paths
 * are limited to ~100 bytes) and the socket is hard-linked into place before the server
 * closes, because closing unlinks the original.
 */
export async function makeSocket(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const folder = mkdtempSync(join(tmpdir(), 'gb-sock-'));
  const listening = join(folder, 's');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listening, resolve);
  });
  try {
    linkSync(listening, path);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Symlinks of every kind under `root`, with the target each was given (relative path → target). */
export const symlinkKinds = {
  'link-to-file.txt': 'src/a.txt',
  'link-to-folder': 'src',
  'loop/self': '..',
  'loop/a': 'b',
  'loop/b': 'a',
  'dangling.txt': 'nowhere.txt',
  zero: '/dev/zero',
  'link-to-fifo': 'pipe',
} as const;

export interface SymlinkZoo {
  /** Link path → target as written, including the links out of the root. */
  readonly links: Readonly<Record<string, string>>;
  /** Files the links point at inside the root: each must be indexed once, by its own path. */
  readonly files: readonly string[];
}

/**
 * A repository of real files and links to them in every way: to a file and a folder inside
 * the root, out of the root (file and folder), in a loop (self and a pair), dangling, to
 * /dev/zero and to a FIFO (a FIFO `pipe` is created for it).
 */
export function writeSymlinkZoo(root: string, outside: string): SymlinkZoo {
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'loop'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(root, 'src', 'a.txt'), 'needle in a\n');
  writeFileSync(join(root, 'src', 'b.txt'), 'needle in b\n');
  writeFileSync(join(outside, 'secret.txt'), 'needle outside\n');
  makeFifo(join(root, 'pipe'));
  const links: Record<string, string> = { ...symlinkKinds, 'out-file.txt': join(outside, 'secret.txt'), 'out-folder': outside };
  for (const [link, target] of Object.entries(links)) {
    symlinkSync(target, join(root, link));
  }
  return { links, files: ['src/a.txt', 'src/b.txt'] };
}

/** A `.gitignore` of `lines` distinct patterns (a real-world 7,000-line one is ~153 KB). */
export function bigIgnoreText(lines: number): string {
  const patterns: string[] = [];
  for (let line = 0; line < lines; line += 1) {
    patterns.push(line % 10 === 0 ? `# section ${line}` : `/generated/m-${line}/*.js`);
  }
  return `${patterns.join('\n')}\n`;
}

/** The rule for line `line` of realisticIgnoreText: every kind gitignore(5) describes, in turn. */
function realisticRule(line: number): string {
  const kinds = [
    `# section ${line}`,
    `/generated/m-${line}/*.js`,
    `!/generated/m-${line - 1}/keep.js`,
    `build-${line}/`,
    `*.ext${line}`,
    `**/cache-${line}/**`,
    `/out-${line}`,
    `docs/**/draft-${line}.md`,
    `tmp-${line}-*`,
    `!tmp-${line - 1}-keep`,
    `logs/${line}/*.log`,
    `file-[0-9]${line}.bak`,
    '',
    `name-${line}?.txt`,
  ];
  return kinds[line % kinds.length] as string;
}

/**
 * A .gitignore of `lines` lines like real ones (7,000 lines is ~150 KB): comments, blank
 * lines, negations, folder-only, anchored and `**` rules, classes and `?`, after a few
 * everyday rules (`node_modules/`, `*.log`, `!important.log`).
 */
export function realisticIgnoreText(lines: number): string {
  const rules = ['node_modules/', '*.log', '!important.log', '*~', '.cache/'];
  for (let line = rules.length; line < lines; line += 1) {
    rules.push(realisticRule(line));
  }
  return `${rules.join('\n')}\n`;
}

/**
 * Files under `root` that realisticIgnoreText's rules match and narrowly miss, for the lines
 * `first, first + step, ...` below `lines`. Returns the relative paths written.
 */
export function writeIgnoreTargets(root: string, lines: number, step = 89): string[] {
  const written: string[] = [];
  for (let line = 5; line < lines; line += step) {
    const paths = [
      `generated/m-${line}/a.js`,
      `generated/m-${line}/keep.js`,
      `generated/m-${line}/a.ts`,
      `src/build-${line}/x.txt`,
      `lib/build-${line}`,
      `a/b.ext${line}`,
      `a/b.ext${line}x`,
      `cache-${line}/x.txt`,
      `deep/cache-${line}/y/z.txt`,
      `out-${line}/f.txt`,
      `nested/out-${line}/f.txt`,
      `docs/x/y/draft-${line}.md`,
      `docs/draft-${line}.md`,
      `tmp-${line}-1`,
      `tmp-${line}-keep`,
      `logs/${line}/important.log`,
      `logs/${line}/a.txt`,
      `file-5${line}.bak`,
      `file-x${line}.bak`,
      `name-${line}x.txt`,
      `name-${line}xy.txt`,
      `node_modules/m-${line}/index.js`,
      `backup-${line}.txt~`,
    ];
    for (const path of paths) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), `needle ${path}\n`);
      written.push(path);
    }
  }
  return written;
}

/** Nests `depth` folders `d/d/d…` under `root` with a file `leaf.txt` at the bottom; returns its relative path. */
export function writeDeepTree(root: string, depth: number, text = 'needle at the bottom\n'): string {
  // mkdir -p of a 2,000-byte path is fine; a single path over PATH_MAX (4096) is not, so build it in steps.
  let folder = root;
  const parts: string[] = [];
  for (let level = 0; level < depth; level += 1) {
    parts.push('d');
  }
  const step = 500;
  for (let start = 0; start < depth; start += step) {
    folder = join(folder, ...parts.slice(start, start + step));
    mkdirSync(folder, { recursive: true });
  }
  writeFileSync(join(folder, 'leaf.txt'), text);
  return [...parts, 'leaf.txt'].join('/');
}

/**
 * Two files whose names are not UTF-8 (latin-1 bytes), which a lossy decode would make one
 * name (`caf\uFFFD.txt`). Returns their raw names. Linux only: macOS refuses such names.
 */
export function writeInvalidUtf8Names(root: string): Buffer[] {
  const names = [Buffer.from('caf\xe9.txt', 'latin1'), Buffer.from('caf\xe8.txt', 'latin1')];
  const folder = Buffer.from(root);
  for (const [index, name] of names.entries()) {
    writeFileSync(Buffer.concat([folder, Buffer.from('/'), name]), `needle in name ${index}\n`);
  }
  return names;
}

/** Contents that are easy to get wrong: CRLF, latin-1, NUL bytes, no final newline. */
export function writeAwkwardContents(root: string): void {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'crlf.txt'), 'needle one\r\nneedle two\r\n');
  writeFileSync(join(root, 'latin1.txt'), Buffer.from('caf\xe9 needle\n', 'latin1'));
  writeFileSync(join(root, 'nul.bin'), Buffer.from('needle\0binary\n'));
  writeFileSync(join(root, 'no-newline.txt'), 'needle at the end');
}
