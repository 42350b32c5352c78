import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../../../test/helpers/make-repo';
import { openConnection } from '../db/open-connection';
import { pragmaValue } from './pragma-value';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => {
  temp.remove();
});

describe('pragmaValue', () => {
  it("reads the connection's current value each time, through one statement prepared once", () => {
    const path = join(temp.path, 'counters.sqlite');
    const writer = openConnection(path, { mode: 'writer' });
    writer.exec('CREATE TABLE t (x)');
    const reader = openConnection(path, { mode: 'reader' });
    const prepare = vi.spyOn(reader, 'prepare');
    try {
      const before = pragmaValue(reader, 'data_version');
      expect(pragmaValue(reader, 'user_version')).toBe(0);
      writer.exec('INSERT INTO t VALUES (1)');
      writer.pragma('user_version = 8');
      // Another connection committed: the reader's data_version moves, and it sees the new user_version.
      expect(pragmaValue(reader, 'data_version')).not.toBe(before);
      expect(pragmaValue(reader, 'user_version')).toBe(8);
      expect(prepare).toHaveBeenCalledTimes(2);
    } finally {
      reader.close();
      writer.close();
    }
  });
});
