import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSocket, writeSymlinkZoo } from '../../../../test/helpers/hostile-repo';
import { makeTempDir } from '../../../../test/helpers/make-repo';
import { walk, type WalkEntry } from './walker';

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
    expect(paths(walk(root, { maxFileSize: 1024, excluded: new Set() }))).toEqual([
      'big/a.txt',
      'big/b.txt',
      'big/c.txt',
      'big/d.txt',
      'big/e.txt',
      'small/x.txt',
      'small/y.txt',
    ]);
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
    expect(entries.map((entry) => `${entry.path} ${entry.kind === 'skip' ? `${entry.reason} ${entry.detail}` : 'file'}`)).toEqual([
      '.gitignore file',
      'server.sock special_file socket',
    ]);
  });
});
