import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitions, type SettingName } from './definitions';
import { makeFifo } from '../../../../test/helpers/hostile-repo';
import { ConfigError, DOTENV_MAX_BYTES, loadConfig } from './load-config';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'gitbot-config-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Each setting: its seed or documented default, a value it accepts, and one it rejects with the exact message. */
const table: Record<SettingName, { default: string | number | boolean; valid: [string, string | number | boolean]; invalid: [string, string] | null }> = {
  DATABASE_MAX_CONNECTIONS: { default: 20, valid: ['256', 256], invalid: ['0', 'an integer from 1 to 256'] },
  DATABASE_MAX_OVERFLOW: { default: 10, valid: ['0', 0], invalid: ['257', 'an integer from 0 to 256'] },
  DATABASE_POOL_TIMEOUT: { default: 30, valid: ['1', 1], invalid: ['3601', 'an integer from 1 to 3600'] },
  DATABASE_POOL_RECYCLE: { default: 3600, valid: ['604800', 604800], invalid: ['604801', 'an integer from 1 to 604800'] },
  DATABASE_POOL_IDLE_TIMEOUT: { default: 30, valid: ['86400', 86400], invalid: ['0', 'an integer from 1 to 86400'] },
  DATABASE_POOL_PRE_PING: { default: true, valid: ['off', false], invalid: ['maybe', 'true or false'] },
  DATABASE_POOL_LEAK_TIMEOUT: { default: 60, valid: ['86400', 86400], invalid: ['0', 'an integer from 1 to 86400'] },
  DATABASE_SLOW_QUERY_MS: { default: 500, valid: ['3600000', 3600000], invalid: ['-5', 'an integer from 1 to 3600000'] },
  DATABASE_POOL_WARN_INTERVAL: { default: 60, valid: ['1', 1], invalid: ['86401', 'an integer from 1 to 86400'] },
  SEARCH_TIMEOUT_MS: { default: 10_000, valid: ['250', 250], invalid: ['5', 'an integer from 10 to 3600000'] },
  MAX_FILE_SIZE: { default: 1048576, valid: ['1073741824', 1073741824], invalid: ['1073741825', 'an integer from 1 to 1073741824'] },
  MAX_CONTENT_LENGTH: { default: 50000, valid: ['1000', 1000], invalid: ['999', 'an integer from 1000 to 10485760'] },
  MAX_DOCUMENTS_PER_BATCH: { default: 100, valid: ['100000', 100000], invalid: ['100001', 'an integer from 1 to 100000'] },
  INDEX_WARN_FILES: { default: 200000, valid: ['0', 0], invalid: ['-1', 'an integer from 0 to 1000000000'] },
  IGNORE_FILE_MAX_BYTES: { default: 1048576, valid: ['200000', 200000], invalid: ['0', 'an integer from 1 to 1073741824'] },
  CHUNK_SIZE: { default: 8192, valid: ['512', 512], invalid: ['511', 'an integer from 512 to 16777216'] },
  MEMORY_THRESHOLD_MB: { default: 100, valid: ['1', 1], invalid: ['0', 'an integer from 1 to 1048576'] },
  MEMORY_LIMIT_MB: { default: 0, valid: ['0', 0], invalid: ['1048577', 'an integer from 0 to 1048576'] },
  ALERT_PERCENT: { default: 80, valid: ['100', 100], invalid: ['101', 'an integer from 1 to 100'] },
  TASK_CLEANUP_INTERVAL: { default: 300, valid: ['86400', 86400], invalid: ['0', 'an integer from 1 to 86400'] },
  TASK_MAX_AGE: { default: 3600, valid: ['604800', 604800], invalid: ['604801', 'an integer from 1 to 604800'] },
  TASK_HISTORY_LIMIT: { default: 200, valid: ['1', 1], invalid: ['100001', 'an integer from 1 to 100000'] },
  SHUTDOWN_TIMEOUT: { default: 30, valid: ['3600', 3600], invalid: ['0', 'an integer from 1 to 3600'] },
  GC_INTERVAL: { default: 600, valid: ['1', 1], invalid: ['86401', 'an integer from 1 to 86400'] },
  STATS_INTERVAL_MS: { default: 1000, valid: ['50', 50], invalid: ['49', 'an integer from 50 to 60000'] },
  STATS_HISTORY_SECONDS: { default: 3600, valid: ['10', 10], invalid: ['9', 'an integer from 10 to 86400'] },
  LEAK_WINDOW_SECONDS: { default: 600, valid: ['86400', 86400], invalid: ['9', 'an integer from 10 to 86400'] },
  LOG_LEVEL: { default: 'info', valid: ['debug', 'debug'], invalid: ['verbose', 'one of debug, info, warn, error'] },
  LOG_MAX_BYTES: { default: 5242880, valid: ['10240', 10240], invalid: ['10239', 'an integer from 10240 to 1073741824'] },
  LOG_FILES: { default: 3, valid: ['100', 100], invalid: ['0', 'an integer from 1 to 100'] },
  GITBOT_DB: { default: '', valid: [' /data/index.sqlite ', '/data/index.sqlite'], invalid: null },
  GITBOT_DATA_DIR: { default: '', valid: ['/data', '/data'], invalid: null },
  GITBOT_EDITOR: { default: '', valid: [' code --goto {path}:{line} ', 'code --goto {path}:{line}'], invalid: null },
  GITBOT_PORT: { default: 0, valid: ['65535', 65535], invalid: ['65536', 'an integer from 0 to 65535'] },
  GITBOT_INDEX_WORKERS: { default: 0, valid: ['64', 64], invalid: ['65', 'an integer from 0 to 64'] },
};

const names = Object.keys(definitions) as SettingName[];
const valueOf = (loaded: ReturnType<typeof loadConfig>, name: SettingName) => loaded.values[name];

describe('loadConfig', () => {
  it('has a test row for every setting', () => {
    expect(Object.keys(table).sort()).toEqual([...names].sort());
  });

  it('uses the seed defaults when nothing is set, and says so', () => {
    const loaded = loadConfig({ env: {} });
    for (const name of names) {
      expect(valueOf(loaded, name), name).toBe(table[name].default);
    }
    expect(loaded.entries.map((entry) => entry.name)).toEqual(names);
    expect(new Set(loaded.entries.map((entry) => entry.source))).toEqual(new Set(['default']));
    expect(loaded.entries.every((entry) => entry.description.length > 10)).toBe(true);
  });

  it.each(names)('%s accepts a value at the edge of its range', (name) => {
    const [raw, expected] = table[name].valid;
    const loaded = loadConfig({ env: { [name]: raw } });
    expect(valueOf(loaded, name)).toBe(expected);
    expect(loaded.entries.find((entry) => entry.name === name)).toMatchObject({ value: expected, source: 'env' });
  });

  it('has an invalid value for every setting that can reject one', () => {
    expect(names.filter((name) => table[name].invalid === null)).toEqual(names.filter((name) => definitions[name].range === 'any text'));
  });

  it.each(names.filter((name) => table[name].invalid !== null))('%s rejects a value outside its range, naming the variable and the range', (name) => {
    const [raw, range] = table[name].invalid ?? ['', ''];
    expect(() => loadConfig({ env: { [name]: raw } })).toThrow(new ConfigError(`Invalid ${name}=${JSON.stringify(raw)} (from env): expected ${range}`));
  });

  it('rejects decimals, words and blanks for integers', () => {
    for (const raw of ['1.5', 'ten', ' ', '1e3x', '0x10']) {
      expect(() => loadConfig({ env: { CHUNK_SIZE: raw } })).toThrow(`Invalid CHUNK_SIZE=${JSON.stringify(raw)} (from env): expected an integer from 512 to 16777216`);
    }
    // Only decimal digits: hexadecimal, exponents and binary are refused, naming the variable.
    for (const raw of ['0x100000', '1e6', '0b1010', '+5', '1_000']) {
      expect(() => loadConfig({ env: { MAX_FILE_SIZE: raw } })).toThrow(`Invalid MAX_FILE_SIZE=${JSON.stringify(raw)} (from env): expected an integer from 1 to 1073741824`);
    }
    // Surrounding spaces are trimmed, not an error.
    expect(loadConfig({ env: { CHUNK_SIZE: ' 4096 ' } }).values.CHUNK_SIZE).toBe(4096);
  });

  it('reads booleans in every documented spelling, case-insensitively', () => {
    for (const raw of ['true', 'TRUE', '1', 'yes', 'On']) {
      expect(loadConfig({ env: { DATABASE_POOL_PRE_PING: raw } }).values.DATABASE_POOL_PRE_PING).toBe(true);
    }
    for (const raw of ['false', 'False', '0', 'no', 'OFF']) {
      expect(loadConfig({ env: { DATABASE_POOL_PRE_PING: raw } }).values.DATABASE_POOL_PRE_PING).toBe(false);
    }
  });

  describe('.env', () => {
    it('parses quotes, comments, export-less lines and blank lines', () => {
      const path = join(directory, '.env');
      writeFileSync(
        path,
        ['# Memory management', 'MAX_FILE_SIZE=1048576  # 1MB in bytes', 'MAX_CONTENT_LENGTH="60000"', "LOG_LEVEL='warn'", '', 'DATABASE_POOL_PRE_PING=false', 'UNRELATED=ignored'].join('\n'),
      );
      const loaded = loadConfig({ env: {}, dotenvPath: path });
      expect(loaded.values.MAX_FILE_SIZE).toBe(1048576);
      expect(loaded.values.MAX_CONTENT_LENGTH).toBe(60000);
      expect(loaded.values.LOG_LEVEL).toBe('warn');
      expect(loaded.values.DATABASE_POOL_PRE_PING).toBe(false);
      expect(loaded.entries.find((entry) => entry.name === 'MAX_CONTENT_LENGTH')?.source).toBe('.env');
      expect(loaded.entries.find((entry) => entry.name === 'CHUNK_SIZE')?.source).toBe('default');
    });

    it('names .env as the source of an invalid value', () => {
      const path = join(directory, '.env');
      writeFileSync(path, 'ALERT_PERCENT=0\n');
      expect(() => loadConfig({ env: {}, dotenvPath: path })).toThrow('Invalid ALERT_PERCENT="0" (from .env): expected an integer from 1 to 100');
    });

    it('skips with a warning a .env linked to /dev/zero, a FIFO .env and one over DOTENV_MAX_BYTES, reading at most that much', () => {
      const zero = join(directory, 'zero.env');
      symlinkSync('/dev/zero', zero);
      const fifo = join(directory, 'fifo.env');
      makeFifo(fifo);
      const huge = join(directory, 'huge.env');
      writeFileSync(huge, `MAX_FILE_SIZE=5\n# ${'x'.repeat(DOTENV_MAX_BYTES)}\n`);
      const warnings = [zero, fifo, huge].flatMap((path) => {
        const loaded = loadConfig({ env: {}, dotenvPath: path });
        expect(loaded.values.MAX_FILE_SIZE).toBe(1048576);
        return loaded.warnings;
      });
      expect(warnings).toEqual([
        `.env skipped, its settings are not applied: ${zero} was not read: it is a character device, not a file`,
        `.env skipped, its settings are not applied: ${fifo} was not read: it is a FIFO, not a file`,
        `.env skipped, its settings are not applied: ${huge} was not read: it is larger than 65536 bytes`,
      ]);
    });

    it('treats a missing .env as empty and an unreadable one as a warning', () => {
      expect(loadConfig({ env: {}, dotenvPath: join(directory, 'absent.env') }).values.MEMORY_THRESHOLD_MB).toBe(100);
      const folder = join(directory, 'folder.env');
      mkdirSync(folder);
      expect(loadConfig({ env: {}, dotenvPath: folder }).warnings).toEqual([`.env skipped, its settings are not applied: ${folder} was not read: it is a folder, not a file`]);
    });
  });

  describe('sources', () => {
    it('prefers the command line, then the environment, then .env, then the default', () => {
      const path = join(directory, '.env');
      writeFileSync(path, 'TASK_MAX_AGE=10\nGC_INTERVAL=20\nSHUTDOWN_TIMEOUT=30\n');
      const loaded = loadConfig({ env: { TASK_MAX_AGE: '11', GC_INTERVAL: '21' }, dotenvPath: path, overrides: { TASK_MAX_AGE: '12' } });
      const source = (name: SettingName) => loaded.entries.find((entry) => entry.name === name);
      expect(source('TASK_MAX_AGE')).toMatchObject({ value: 12, source: 'cli' });
      expect(source('GC_INTERVAL')).toMatchObject({ value: 21, source: 'env' });
      expect(source('SHUTDOWN_TIMEOUT')).toMatchObject({ value: 30, source: '.env' });
      expect(source('TASK_CLEANUP_INTERVAL')).toMatchObject({ value: 300, source: 'default' });
    });

    it('lets an empty environment variable fall through to .env', () => {
      const path = join(directory, '.env');
      writeFileSync(path, 'LOG_FILES=7\n');
      expect(loadConfig({ env: { LOG_FILES: '' }, dotenvPath: path }).entries.find((entry) => entry.name === 'LOG_FILES')).toMatchObject({ value: 7, source: '.env' });
    });

    it('names the command line as the source of an invalid override', () => {
      expect(() => loadConfig({ env: {}, overrides: { GITBOT_PORT: '-1' } })).toThrow('Invalid GITBOT_PORT="-1" (from cli): expected an integer from 0 to 65535');
    });

    it('returns frozen values', () => {
      const loaded = loadConfig({ env: {} });
      expect(Object.isFrozen(loaded.values)).toBe(true);
      expect(Object.isFrozen(loaded.entries)).toBe(true);
    });
  });
});
