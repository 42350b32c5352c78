import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { countFolderFiles, precheckFolder } from './count-folder-files';

const walkOptions = { maxFileSize: 1024, excluded: new Set<string>() };

describe('countFolderFiles', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir('gitbot-count-');
    const files: Record<string, string | { symlink: string }> = {
      '.gitignore': 'build/\n',
      'build/out.js': 'ignored',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'big.bin': 'x'.repeat(2048),
      'link.ts': { symlink: 'src/a-0.ts' },
    };
    for (let index = 0; index < 30; index += 1) {
      files[`src/a-${index}.ts`] = `export const a${index} = ${index};\n`;
    }
    writeRepo(temp.path, files);
  });

  afterEach(() => temp.remove());

  it('counts what a run would read, with the walk’s skips: .git, ignored folders, links, files over MAX_FILE_SIZE', async () => {
    // 30 sources and the .gitignore itself; not build/, .git, the link or the 2 KB file.
    expect(await countFolderFiles(temp.path, { ...walkOptions, limit: 100 })).toMatchObject({ files: 31, limit: 100, stoppedBy: 'end' });
  });

  it('stops at limit + 1 files', async () => {
    expect(await countFolderFiles(temp.path, { ...walkOptions, limit: 10 })).toMatchObject({ files: 11, limit: 10, stoppedBy: 'limit' });
  });

  it('stops when its time budget is spent, and gives the event loop back between slices', async () => {
    // A fake clock: each reading is 1 ms later, so the budget of 20 ms runs out after about 20 entries.
    let clock = 0;
    let turns = 0;
    const counter = setInterval(() => (turns += 1), 0);
    try {
      const count = await countFolderFiles(temp.path, { ...walkOptions, limit: 1000, budgetMs: 20, sliceMs: 5, now: () => (clock += 1) });
      expect(count).toMatchObject({ stoppedBy: 'time' });
      expect(count.files).toBeLessThan(31);
      expect(count.elapsedMs).toBeGreaterThanOrEqual(20);
    } finally {
      clearInterval(counter);
    }
    expect(turns).toBeGreaterThan(0);
  });

  it('stops when the client goes away', async () => {
    const controller = new AbortController();
    controller.abort();
    let clock = 0;
    await expect(countFolderFiles(temp.path, { ...walkOptions, limit: 1000, sliceMs: 1, signal: controller.signal, now: () => (clock += 1) })).rejects.toThrow();
  });
});

describe('precheckFolder', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('gitbot-precheck-');
    // The database's files, its open marker and a log folder of the app: a run skips them all.
    writeRepo(temp.path, { 'a.ts': 'a', 'b.ts': 'b', 'index.sqlite': '', 'index.sqlite-wal': '', 'index.sqlite.open': '1', 'logs/gitbot.log': 'x' });
  });
  afterEach(() => temp.remove());

  const settings = (limit: number) => ({ limit, maxFileSize: 1024, ignoreFileMaxBytes: 1024, dbPath: join(temp.path, 'index.sqlite'), excludedPaths: [join(temp.path, 'logs')] });

  it('checks the folder as indexing does, and leaves out what a run leaves out: the database files and the app folders', async () => {
    expect(await precheckFolder(temp.path, settings(5))).toMatchObject({ files: 2, limit: 5, stoppedBy: 'end' });
    await expect(precheckFolder(join(temp.path, 'missing'), settings(5))).rejects.toThrow(`Folder not found: ${join(temp.path, 'missing')}`);
  });

  it('does not count at all with INDEX_WARN_FILES=0', async () => {
    expect(await precheckFolder(temp.path, settings(0))).toMatchObject({ files: 0, limit: 0, stoppedBy: 'off' });
  });
});
