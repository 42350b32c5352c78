import { renameSync, rmSync } from 'node:fs';
import { expect, test } from './support/fixtures';
import { largeRepository } from './support/repo';
import { DashboardPage } from './pages/dashboard-page';

test('a run that fails says why on its repository', async ({ page, server }) => {
  test.setTimeout(120_000);
  const repo = largeRepository();
  const moved = `${repo}-moved`;
  try {
    const dashboard = await DashboardPage.open(page, server.url);
    await dashboard.showDashboard();
    await dashboard.startIndexing(repo);
    await expect(dashboard.runStatus('Running')).toBeVisible();
    // The root is checked before every commit: moving it away fails the run.
    renameSync(repo, moved);
    await expect(dashboard.runStatus('Failed')).toBeVisible({ timeout: 60_000 });
    const item = page.getByRole('list', { name: 'Recent repositories' }).getByRole('listitem').filter({ hasText: repo });
    await expect(item).toContainText(/failed(, partial)? · /);
    await expect(item).toContainText(`Failed: The repository folder ${repo} disappeared during indexing (renamed or deleted)`);
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(moved, { recursive: true, force: true });
  }
});
