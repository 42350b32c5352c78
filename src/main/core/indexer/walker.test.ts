import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSocket, writeDeepTree, writeInvalidUtf8Names, writeSymlinkZoo } from '../../../../test/helpers/hostile-repo';
import { makeTempDir } from '../../../../test/helpers/make-repo';
import { MAX_WALK_DEPTH, walk, type WalkEntry } from './walker';

function paths(entries: Iterable<WalkEntry>): string[] {
  return Array.from(entries, (entry) => entry.path);
}

describe('walk: folder listings', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let root: string;

  beforeEach(() => {
    temp = makeTempDir('gitbot-walker-');
    root = temp.path;
    mkdirSync(join(root, 'big'));
    for (const name of ['e', 'c', 'a', 'd', 'b']) {
      writeFileSync(join(root, 'big', `${name}.txt`), name);
    }
    mkdirSync(join(root, 'small'));
    for (const name of ['y', 'x']) {
      writeFileSync(join(root, 'small', `${name}.txt`), name);
    }
  });

  afterEach(() => {
    temp.remove();
  });

  it('walks folders up to the limit in name order', () => {
    expect(paths(walk(root, { maxFileSize: 1024, excluded: new Set() }))).toEqual(['big/a.txt', 'big/b.txt', 'big/c.txt', 'big/d.txt', 'big/e.txt', 'small/x.txt', 'small/y.txt']);
  });

  it('streams a folder over the limit without losing or repeating an entry', () => {
    const walked = paths(walk(root, { maxFileSize: 1024, excluded: new Set(), sortedFolderMax: 2 }));
    expect(walked.filter((path) => path.startsWith('big/')).sort()).toEqual(['big/a.txt', 'big/b.txt', 'big/c.txt', 'big/d.txt', 'big/e.txt']);
    expect(walked.filter((path) => path.startsWith('small/'))).toEqual(['small/x.txt', 'small/y.txt']);
    expect(walked).toHaveLength(7);
  });

  it('closes the open folders when the walk is stopped early', () => {
    const entries = walk(root, { maxFileSize: 1024, excluded: new Set(), sortedFolderMax: 2 });
    expect(entries.next().done).toBe(false);
    // Returning runs the generators' finally blocks, which close the folders still open.
    expect(entries.return(undefined).done).toBe(true);
    expect(entries.next().done).toBe(true);
  });
});

describe('walk: links and special files are never opened', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir('gitbot-walker-');
  });

  afterEach(() => {
    temp.remove();
  });

  it('lists every kind of symlink as skipped with its target and yields each real file once', () => {
    const root = join(temp.path, 'repo');
    const zoo = writeSymlinkZoo(root, join(temp.path, 'outside'));
    const entries = [...walk(root, { maxFileSize: 1024, excluded: new Set() })];
    expect(entries.filter((entry) => entry.kind === 'file').map((entry) => entry.path)).toEqual(zoo.files);
    const skipped = entries.flatMap((entry) => (entry.kind === 'skip' ? [`${entry.path} ${entry.reason} ${entry.detail}`] : []));
    expect(skipped.sort()).toEqual(['pipe special_file FIFO', ...Object.entries(zoo.links).map(([link, target]) => `${link} symlink -> ${target}`)].sort());
  });

  it('skips sockets and ignored links without listing the ignored ones', async () => {
    const root = join(temp.path, 'repo');
    mkdirSync(root);
    await makeSocket(join(root, 'server.sock'));
    symlinkSync('/dev/zero', join(root, 'ignored-zero'));
    writeFileSync(join(root, '.gitignore'), 'ignored-*\n');
    const entries = [...walk(root, { maxFileSize: 1024, excluded: new Set() })];
    expect(entries.map((entry) => `${entry.path} ${entry.kind === 'skip' ? `${entry.reason} ${entry.detail}` : 'file'}`)).toEqual(['.gitignore file', 'server.sock special_file socket']);
  });
});

describe('walk: depth', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir('gitbot-walker-');
  });

  afterEach(() => {
    temp.remove();
  });

  it('walks 1,000 folders deep at most MAX_WALK_DEPTH levels, listing the first folder below as too_deep', () => {
    const root = join(temp.path, 'repo');
    const leaf = writeDeepTree(root, 1000);
    writeFileSync(join(root, ...Array.from({ length: MAX_WALK_DEPTH }, () => 'd'), 'deepest-walked.txt'), 'needle\n');
    const entries = [...walk(root, { maxFileSize: 1024, excluded: new Set() })];
    const deepest = `${Array.from({ length: MAX_WALK_DEPTH }, () => 'd').join('/')}/deepest-walked.txt`;
    const tooDeep = Array.from({ length: MAX_WALK_DEPTH + 1 }, () => 'd').join('/');
    expect(entries.map((entry) => `${entry.path} ${entry.kind === 'skip' ? `${entry.reason} ${entry.detail}` : 'file'}`)).toEqual([`${tooDeep} too_deep deeper than 256 folders`, `${deepest} file`]);
    expect(entries.some((entry) => entry.path === leaf)).toBe(false);
  });
});

describe('walk: names that are not UTF-8', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir('gitbot-walker-');
  });

  afterEach(() => {
    temp.remove();
  });

  it.each([10_000, 1])("yields each once with its raw bytes after the folder's other names (sorted folder max %i)", (sortedFolderMax) => {
    const raw = writeInvalidUtf8Names(temp.path);
    for (const name of ['b.txt', 'a.txt', 'c\uFFFD.txt']) {
      writeFileSync(join(temp.path, name), name);
    }
    const entries = Array.from(walk(temp.path, { maxFileSize: 1024, excluded: new Set(), sortedFolderMax }));
    const seen = entries.map((entry) => [entry.path, entry.pathBytes?.toString('hex') ?? null]);
    const lossy = [
      ['caf\uFFFD.txt', (raw[1] as Buffer).toString('hex')],
      ['caf\uFFFD.txt', (raw[0] as Buffer).toString('hex')],
      // A valid name with a real U+FFFD is listed with the lossy ones but needs no bytes.
      ['c\uFFFD.txt', null],
    ];
    const expected = [['a.txt', null], ['b.txt', null], ...lossy];
    // A streamed folder comes in the system's order.
    expect(sortedFolderMax === 1 ? [...seen].sort() : seen).toEqual(sortedFolderMax === 1 ? [...expected].sort() : expected);
    expect(entries.every((entry) => entry.kind === 'file')).toBe(true);
  });
});
