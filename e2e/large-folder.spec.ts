import { rmSync } from 'node:fs';
import { expect, test } from './support/fixtures';
import { makeRepo } from './support/repo';
import { DashboardPage } from './pages/dashboard-page';

/** `count` small files, plus a .gitignored folder the count must leave out as the walk does. */
function repositoryOf(count: number): string {
  const files: Record<string, string> = { '.gitignore': 'vendor/\n' };
  for (let index = 0; index < count; index += 1) {
    files[`src/file-${index}.ts`] = `export const value${index} = ${index};\n`;
    files[`vendor/dependency-${index}.js`] = 'ignored\n';
  }
  return makeRepo(files);
}

test.describe('a folder with more files than INDEX_WARN_FILES', () => {
  // A low limit stands in for the default 200,000 (the count and the question are the same).
  test.use({ serverEnv: { STATS_INTERVAL_MS: '250', INDEX_WARN_FILES: '40' } });

  test('is counted first and indexed only after a confirmation; a smaller one goes straight on', async ({ page, server }) => {
    // 40 sources + .gitignore = 41 files the run would read: one more than the limit. Its 40 ignored files do not count.
    const large = repositoryOf(40);
    const small = repositoryOf(20);
    try {
      const dashboard = await DashboardPage.open(page, server.url);
      await dashboard.showDashboard();
      await dashboard.startIndexing(large);
      const question = page.getByRole('region', { name: 'Repository' }).getByRole('alert');
      await expect(question).toHaveText(`${large} holds more than 40 files (INDEX_WARN_FILES): indexing it can take a long time and a large database. Index it anyway?Index anywayDon't index`);
      await dashboard.screenshot('17-large-folder-warning');
      await question.getByRole('button', { name: "Don't index" }).click();
      await expect(question).toBeHidden();
      await expect(dashboard.runStatus('Running')).toBeHidden();
      await expect(page.getByText('No repositories yet')).toBeVisible();

      await dashboard.startIndexing(large);
      await question.getByRole('button', { name: 'Index anyway' }).click();
      await expect(dashboard.runStatus('Done')).toBeVisible({ timeout: 60_000 });
      await expect(dashboard.indexing.getByRole('status').filter({ hasText: /^41 indexed · / })).toBeVisible();

      // 21 files: within the limit, no question.
      await dashboard.startIndexing(small);
      await expect(page.getByRole('button', { name: `Re-index ${small}` })).toBeVisible({ timeout: 60_000 });
      await expect(question).toBeHidden();
    } finally {
      rmSync(large, { recursive: true, force: true });
      rmSync(small, { recursive: true, force: true });
    }
  });
});
