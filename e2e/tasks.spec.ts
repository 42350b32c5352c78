import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, test } from './support/fixtures';
import { largeRepository } from './support/repo';
import { DashboardPage, layoutViewports } from './pages/dashboard-page';

interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

interface CancelLayout {
  readonly button: Box;
  readonly row: Box;
  /** The visible part of the table's scroller (what it clips to). */
  readonly scroller: Box;
  readonly viewport: Box;
  readonly scrollerScrollLeft: number;
}

/** The few DOM members the measurement uses (the e2e project is typed for Node, not the DOM). */
interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}
interface MeasuredElement {
  getBoundingClientRect(): Rect;
  scrollIntoView(options: { block: string; inline: string }): void;
  closest(selector: string): MeasuredScroller | null;
  querySelector(selector: string): MeasuredElement | null;
}
interface MeasuredScroller extends MeasuredElement {
  readonly clientLeft: number;
  readonly clientTop: number;
  readonly clientWidth: number;
  readonly clientHeight: number;
  readonly scrollLeft: number;
}

const inside = (inner: Box, outer: Box): boolean => inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;

test.describe('background tasks', () => {
  // One reading thread keeps the run going while the rows are measured, on a fast machine too.
  test.use({ serverEnv: { STATS_INTERVAL_MS: '250', GITBOT_INDEX_WORKERS: '1' } });

  test('a task row names its repository and its Cancel button is never cut off (1024x700, 1440x900, 1920x1080)', async ({ page, server }) => {
    test.setTimeout(120_000);
    // A long folder name with no place to break (no space, no hyphen): the worst case for the row's width.
    const repo = largeRepository('gitbot_repository_with_a_long_folder_name_and_no_place_to_break_');
    const name = basename(repo);
    try {
      const dashboard = await DashboardPage.open(page, server.url);
      await dashboard.showDashboard();
      await dashboard.startIndexing(repo);
      const cancel = dashboard.tasks.getByRole('button', { name: `Cancel indexing of ${name}` });
      await expect(cancel).toBeVisible();
      const row = dashboard.tasks.getByRole('row').filter({ has: page.getByRole('button', { name: `Cancel indexing of ${name}` }) });
      await expect(row.getByText(name, { exact: true })).toHaveAttribute('title', repo);

      for (const [width, height] of layoutViewports) {
        await page.setViewportSize({ width, height });
        // Bring the row on screen vertically, its start at the scroller's left edge (as a user sees it first).
        const layout = await row.evaluate((node): CancelLayout => {
          const element = node as unknown as MeasuredElement;
          element.scrollIntoView({ block: 'center', inline: 'start' });
          const box = (rect: Rect): Box => ({ left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom });
          const scroller = element.closest('.table-scroll')!;
          const clip = scroller.getBoundingClientRect();
          const view = globalThis as unknown as { innerWidth: number; innerHeight: number };
          return {
            button: box(element.querySelector('button')!.getBoundingClientRect()),
            row: box(element.getBoundingClientRect()),
            // clientWidth/Height leave out the scrollbars.
            scroller: {
              left: clip.left + scroller.clientLeft,
              top: clip.top + scroller.clientTop,
              right: clip.left + scroller.clientLeft + scroller.clientWidth,
              bottom: clip.top + scroller.clientTop + scroller.clientHeight,
            },
            viewport: { left: 0, top: 0, right: view.innerWidth, bottom: view.innerHeight },
            scrollerScrollLeft: scroller.scrollLeft,
          };
        });
        const where = `${width}x${height}: ${JSON.stringify(layout)}`;
        expect(layout.scrollerScrollLeft, where).toBe(0);
        expect(inside(layout.button, layout.row), where).toBe(true);
        expect(inside(layout.button, layout.scroller), where).toBe(true);
        expect(inside(layout.button, layout.viewport), where).toBe(true);
        await dashboard.screenshot(`16-tasks-${width}x${height}`);
      }

      await page.setViewportSize({ width: 1440, height: 900 });
      await cancel.click();
      await expect(dashboard.runStatus('Cancelled')).toBeVisible({ timeout: 30_000 });
      await expect(cancel).toBeHidden();
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
