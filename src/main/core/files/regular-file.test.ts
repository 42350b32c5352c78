import { closeSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFifo } from '../../../../test/helpers/hostile-repo';
import { makeTempDir } from '../../../../test/helpers/make-repo';
import { streamFile } from '../indexer/file-reader';
import { openRegularFile } from './regular-file';

describe('only regular files are opened', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir('gitbot-regular-');
  });

  afterEach(() => {
    temp.remove();
  });

  it('refuses a FIFO at once, a device and a symlink, and reads a file', () => {
    makeFifo(join(temp.path, 'pipe'));
    symlinkSync('/dev/zero', join(temp.path, 'zero'));
    writeFileSync(join(temp.path, 'file.txt'), 'text\n');
    expect(openRegularFile(join(temp.path, 'pipe'))).toEqual({ ok: false, reason: 'special_file', detail: 'FIFO' });
    expect(openRegularFile('/dev/null')).toEqual({ ok: false, reason: 'special_file', detail: 'character device' });
    expect(openRegularFile(join(temp.path, 'zero'))).toEqual({ ok: false, reason: 'symlink', detail: 'a symlink is not followed' });
    expect(openRegularFile(join(temp.path, 'missing'))).toEqual({ ok: false, reason: 'unreadable', detail: 'ENOENT' });
    const opened = openRegularFile(join(temp.path, 'file.txt'));
    if (!opened.ok) {
      throw new Error(opened.detail);
    }
    closeSync(opened.fd);
    expect(opened.stats.size).toBe(5);
  });

  it('skips a file replaced by a FIFO after the walk listed it, without blocking', () => {
    makeFifo(join(temp.path, 'was-a-file.txt'));
    const texts: string[] = [];
    const outcome = streamFile(join(temp.path, 'was-a-file.txt'), { size: 5, mtimeMs: 0 }, 1024, Buffer.alloc(1024), (text) => texts.push(text));
    expect(outcome).toEqual({ ok: false, reason: 'special_file', detail: 'FIFO' });
    expect(texts).toEqual([]);
  });
});
