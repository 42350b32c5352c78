import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { resolvePaths } from '../src/main/core/base/paths';
import { makeFifo } from './helpers/hostile-repo';
import { makeTempDir } from './helpers/make-repo';
import { createTestCore, type TestCore } from './helpers/test-core';
import { nextEvent } from './helpers/core-api';

let test: TestCore | undefined;
let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(async () => {
  await test?.close();
  temp?.remove();
});

it('a path with a newline and an escape sequence cannot forge a line in the log file', async () => {
  temp = makeTempDir('gitbot-inject-');
  const root = join(temp.path, 'repo');
  const evil = 'x\n2026-01-01T00:00:00.000Z [ERROR] forged\u001b[2K';
  mkdirSync(join(root, evil), { recursive: true });
  writeFileSync(join(root, evil, 'file.txt'), 'text\n');
  // A FIFO .gitignore makes the run log a warning that names the folder.
  makeFifo(join(root, evil, '.gitignore'));
  test = createTestCore();
  const done = nextEvent(test!.core.api, 'indexDone');
  const started = await test.core.api.startIndexing({ path: root });
  expect(started.ok).toBe(true);
  expect((await done).status).toBe('completed');
  const logFile = resolvePaths({ dbSetting: '', dataDirSetting: test.dir }).logFile;
  await test.core.shutdown();
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  expect(lines.every((line) => /^\d{4}-\d\d-\d\dT[\d:.]+Z \[(DEBUG|INFO|WARN|ERROR)\] /.test(line))).toBe(true);
  expect(lines.some((line) => line.startsWith('2026-01-01T00:00:00.000Z'))).toBe(false);
  const warning = `[WARN] Ignore file skipped, its rules are not applied: ${join(root, 'x\\n2026-01-01T00:00:00.000Z [ERROR] forged\\u001b[2K', '.gitignore')} was not read: it is a FIFO, not a file`;
  expect(lines.filter((line) => line.endsWith(warning))).toHaveLength(1);
  expect(lines.filter((line) => line.includes('forged'))).toHaveLength(1);
});
