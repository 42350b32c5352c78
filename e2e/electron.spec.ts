/**
 * The desktop app itself, driven through Playwright's Electron support. It needs a runnable
 * Electron binary and a display; where either is missing the test is reported as skipped,
 * with the reason, never as passed. The browser dashboard specs cover the same UI elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, expect, test } from '@playwright/test';
import { findElectron } from '../scripts/electron-binary.cjs';
import { ensureElectronSqlite } from '../scripts/electron-native.cjs';
import type { GitbotApi } from '../src/shared/contract';

const root = resolve(__dirname, '..');
const electron = findElectron(root);

test('the desktop window exposes only the bridge and receives live memory figures', async () => {
  if (!electron.ok) {
    // The list reporter shows a skipped test without its annotation: print the reason too.
    console.log(`Skipped: Electron cannot run on this machine (${electron.reason}).`);
    test.skip(true, `Electron cannot run on this machine: ${electron.reason}`);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'gitbot-electron-e2e-'));
  const app = await _electron.launch({
    executablePath: electron.path,
    args: ['--js-flags=--expose-gc', root],
    env: {
      ...process.env,
      GITBOT_DATA_DIR: dataDir,
      GITBOT_SQLITE_BINDING: ensureElectronSqlite({ root, electronVersion: electron.version }),
    },
  });
  try {
    const page = await app.firstWindow();
    // The page sees the typed bridge and nothing of Node.
    const globals = await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process]);
    expect(globals).toEqual(['undefined', 'undefined']);
    const health = await page.evaluate(() => (globalThis as unknown as { gitbot: GitbotApi }).gitbot.getHealth({}));
    expect(health).toMatchObject({ ok: true, value: { status: expect.any(String) } });

    // A pushed stats event reaches the page through the preload.
    const rss = await page.evaluate(
      () =>
        new Promise<number>((resolveRss) => {
          const stop = (globalThis as unknown as { gitbot: GitbotApi }).gitbot.on('stats', (sample) => {
            stop();
            resolveRss(sample.main.rss);
          });
        }),
    );
    expect(rss).toBeGreaterThan(0);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
