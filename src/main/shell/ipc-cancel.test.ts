import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestChannel } from '../../shared/names';
import type { RequestContext } from '../core/router';
import { createMainWindow } from './main-window';
import { createFakeElectron, type FakeElectron, type FakeWindow } from './testing/fake-electron';
import { indexThroughApi } from '../../../test/helpers/core-api';
import { makeTempDir, writeRepo } from '../../../test/helpers/make-repo';
import { createTestCore, type TestCore } from '../../../test/helpers/test-core';

const renderer = { kind: 'app', root: '/opt/gitbot/out/renderer' } as const;
const pageUrl = 'app://gitbot/index.html';

describe('closing the window cancels its requests', () => {
  let electron: FakeElectron;
  let test: TestCore;
  let repo: ReturnType<typeof makeTempDir>;
  let window: FakeWindow;

  beforeEach(() => {
    electron = createFakeElectron();
    test = createTestCore({}, { runtime: 'electron', logToFile: false });
    repo = makeTempDir('gitbot-ipc-cancel-');
    writeRepo(repo.path, Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`src/file-${index}.ts`, 'export const needle = 1;\n'.repeat(200)])));
    window = createMainWindow(electron, { preloadPath: '/p.cjs', renderer, core: test.core });
  });

  afterEach(async () => {
    await test.close();
    repo.remove();
  });

  const search = (query: string) => electron.ipcMain.invoke(requestChannel('search'), window.eventFrom(pageUrl), { query, mode: 'literal', channel: 'search-view' });

  it('gives every request of the window a signal that aborts when the window closes', async () => {
    const dispatch = vi.spyOn(test.core, 'dispatch');
    const other = createMainWindow(createFakeElectron(), { preloadPath: '/p.cjs', renderer, core: test.core });
    await electron.ipcMain.invoke(requestChannel('getHealth'), window.eventFrom(pageUrl), {});
    const seen = dispatch.mock.calls.map((call) => call[2] as RequestContext);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.signal?.aborted).toBe(false);
    window.close();
    expect(seen[0]?.signal?.aborted).toBe(true);
    expect(other.isDestroyed()).toBe(false);
  });

  it('cancels a search still running when its window closes, with the message the page would see', async () => {
    await indexThroughApi(test.core.api, repo.path);
    // The search is answered while the window lives.
    const answered = (await search('needle')) as { ok: boolean; value?: { total: { matches: number } } };
    expect(answered.ok).toBe(true);
    expect(answered.value?.total.matches).toBeGreaterThan(0);

    const running = search('needle');
    window.close();
    expect(await running).toEqual({ ok: false, error: { code: 'cancelled', message: 'Search cancelled: the client disconnected' } });
  });
});
