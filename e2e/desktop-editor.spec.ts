import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './support/fixtures';
import { makeRepo } from './support/repo';
import { DashboardPage } from './pages/dashboard-page';

// The Electron binary cannot run here: the desktop composition runs with the fake Electron the
// shell's tests inject (support/fake-desktop.ts), so openInEditor is the shell's own handler.
const recorder = resolve(__dirname, 'support', 'record-editor.cjs');

test.describe('desktop app (fake Electron)', () => {
  test.use({ serverKind: 'fake-desktop', serverEnv: { STATS_INTERVAL_MS: '250', GITBOT_EDITOR: `${process.execPath} ${recorder} {path}:{line}` } });

  test('Enter on a result opens the editor at its line', async ({ page, server }) => {
    const repo = makeRepo({ 'src/alpha.ts': 'const one = 1;\nconst two = 2;\nexport const needle = "alpha";\n', 'src/beta.ts': '// beta\nuse(needle);\n' });
    // The recorder writes into the core's data folder, which the fixture removes.
    const log = join(server.dataDir, 'editor-launches.ndjson');
    try {
      const dashboard = await DashboardPage.open(page, server.url);
      await dashboard.indexAndWait(repo);
      await dashboard.showSearch();
      await page.keyboard.type('needle');
      await expect(dashboard.resultRow('Line 3: export const needle = "alpha";')).toBeVisible();
      await page.keyboard.press('ArrowDown');
      await expect(dashboard.resultRow('Line 3: export const needle = "alpha";')).toBeFocused();
      expect(existsSync(log)).toBe(false);
      await page.keyboard.press('Enter');
      await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''), { timeout: 15_000 }).toBe(`${JSON.stringify([`${repo}/src/alpha.ts:3`])}\n`);
      // The next file's match opens at its own line.
      await page.keyboard.press('Alt+ArrowDown');
      await expect(dashboard.resultRow(/^src\/beta\.ts in /)).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await expect(dashboard.resultRow('Line 2: use(needle);')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect.poll(() => readFileSync(log, 'utf8').trim().split('\n').at(-1), { timeout: 15_000 }).toBe(JSON.stringify([`${repo}/src/beta.ts:2`]));
      await expect(page.getByRole('alert')).toHaveCount(0);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
