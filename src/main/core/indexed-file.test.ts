import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/helpers/make-repo';
import { createTestCore, type TestCore } from '../../../test/helpers/test-core';
import { nextEvent } from '../../../test/helpers/core-api';

describe('openInEditor only opens files of an indexed repository', () => {
  let test: TestCore;
  let repo: ReturnType<typeof makeTempDir>;
  let outside: ReturnType<typeof makeTempDir>;
  const opened: string[] = [];

  beforeEach(async () => {
    opened.length = 0;
    repo = makeTempDir('gitbot-open-repo-');
    outside = makeTempDir('gitbot-open-outside-');
    mkdirSync(join(repo.path, 'src'));
    writeFileSync(join(repo.path, 'src', 'main.ts'), 'export {};\n');
    writeFileSync(join(outside.path, 'run-me.sh'), '#!/bin/sh\n');
    // In the repository but not in the index as text: a binary, an ignored file, a git hook.
    writeFileSync(join(repo.path, 'tool.exe'), Buffer.from([0x4d, 0x5a, 0x00, 0x01]));
    writeFileSync(join(repo.path, '.gitignore'), 'node_modules/\n');
    mkdirSync(join(repo.path, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(repo.path, 'node_modules', '.bin', 'run.js'), 'require("child_process")\n');
    mkdirSync(join(repo.path, '.git', 'hooks'), { recursive: true });
    writeFileSync(join(repo.path, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\n');
    symlinkSync(join(outside.path, 'run-me.sh'), join(repo.path, 'escape.sh'));
    test = createTestCore(
      {},
      {
        logToFile: false,
        nativeHandlers: {
          openInEditor: ({ path }) => {
            opened.push(path);
            return { opened: true };
          },
        },
      },
    );
    const done = nextEvent(test.core.api, 'indexDone');
    expect((await test.core.api.startIndexing({ path: repo.path })).ok).toBe(true);
    expect((await done).status).toBe('completed');
  });
  afterEach(async () => {
    await test.close();
    repo.remove();
    outside.remove();
  });

  it('opens a file inside the repository', async () => {
    const result = await test.core.api.openInEditor({ path: join(repo.path, 'src', 'main.ts'), line: 3 });
    expect(result).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([join(repo.path, 'src', 'main.ts')]);
  });

  it('refuses a file elsewhere, a symlink out of the repository, a folder and a missing file', async () => {
    const cases: [string, string][] = [
      [join(outside.path, 'run-me.sh'), `Only files of an indexed repository can be opened: ${join(outside.path, 'run-me.sh')}`],
      [join(repo.path, 'escape.sh'), `Only files of an indexed repository can be opened: ${join(repo.path, 'escape.sh')}`],
      [join(repo.path, 'src'), `Not a file: ${join(repo.path, 'src')}`],
      [join(repo.path, 'gone.ts'), `File not found: ${join(repo.path, 'gone.ts')}`],
      [join(repo.path, 'tool.exe'), `Only files the index holds as text can be opened: ${join(repo.path, 'tool.exe')}`],
      [join(repo.path, 'node_modules', '.bin', 'run.js'), `Only files the index holds as text can be opened: ${join(repo.path, 'node_modules', '.bin', 'run.js')}`],
      [join(repo.path, '.git', 'hooks', 'post-checkout'), `Only files the index holds as text can be opened: ${join(repo.path, '.git', 'hooks', 'post-checkout')}`],
    ];
    for (const [path, message] of cases) {
      const result = await test.core.api.openInEditor({ path });
      expect(result.ok ? 'ok' : result.error.message).toBe(message);
    }
    expect(opened).toEqual([]);
  });
});
