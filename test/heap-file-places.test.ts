import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { TaskInfo } from '../src/shared/types';
import { createTestCore, type TestCore } from './helpers/test-core';

let test: TestCore | undefined;
const folders: string[] = [];

afterEach(async () => {
  await test?.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function finished(core: TestCore['core'], taskId: string): Promise<TaskInfo> {
  for (;;) {
    const task = core.tasks.get(taskId);
    if (task !== undefined && task.status !== 'pending' && task.status !== 'running') return task;
    await new Promise((wait) => setTimeout(wait, 50));
  }
}

it('writes heap files only under the snapshots folder or a natively picked one, readable by the owner only', async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'gitbot-elsewhere-'));
  const picked = mkdtempSync(join(tmpdir(), 'gitbot-picked-'));
  folders.push(elsewhere, picked);
  test = createTestCore({}, { logToFile: false, nativeHandlers: { chooseFolder: async () => ({ path: picked }) } });
  const core = test.core;
  const refused = await core.api.takeHeapSnapshot({ target: 'main', directory: join(elsewhere, 'new') });
  expect(refused).toEqual({
    ok: false,
    error: { code: 'bad_request', message: `Heap files are written only to ${join(test.dir, 'snapshots')} or a folder picked in the folder dialog, not ${join(elsewhere, 'new')}` },
  });
  expect(() => statSync(join(elsewhere, 'new'))).toThrow('ENOENT');

  const snapshot = await core.api.takeHeapSnapshot({ target: 'main' });
  if (!snapshot.ok) throw new Error(snapshot.error.message);
  const { taskId, path } = snapshot.value;
  expect((await finished(core, taskId)).status).toBe('completed');
  expect(dirname(path)).toBe(join(test.dir, 'snapshots'));
  expect(statSync(path).mode & 0o777).toBe(0o600);

  expect(await core.api.chooseFolder({})).toEqual({ ok: true, value: { path: picked } });
  const profile = await core.api.takeHeapProfile({ seconds: 1, directory: picked });
  if (!profile.ok) throw new Error(profile.error.message);
  const written = profile.value;
  expect((await finished(core, written.taskId)).status).toBe('completed');
  expect(dirname(written.path)).toBe(picked);
  expect(statSync(written.path).mode & 0o777).toBe(0o600);
});
