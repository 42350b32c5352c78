import { expect, test } from './support/fixtures';
import { DashboardPage } from './pages/dashboard-page';

// The charts draw on canvases, so what they draw is recorded where it is drawn: every fillText
// call, by the chart (role img) whose canvas it went to.
const recordCanvasTexts = `(() => {
  const texts = {};
  window.__canvasTexts = texts;
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    const chart = this.canvas.closest('[role="img"]')?.getAttribute('aria-label') ?? 'unknown';
    (texts[chart] ??= []).includes(String(text)) || texts[chart].push(String(text));
    return fillText.call(this, text, ...rest);
  };
})()`;

// A 1 MB threshold lies inside the heap chart's scale too, so drawing it there would show.
test.use({ serverEnv: { STATS_INTERVAL_MS: '250', MEMORY_THRESHOLD_MB: '1' } });

test('the memory threshold (a figure of the whole process RSS) is drawn on the RSS chart only', async ({ page, server }) => {
  await page.addInitScript(recordCanvasTexts);
  const dashboard = await DashboardPage.open(page, server.url);
  await dashboard.showDashboard();
  const texts = (): Promise<Record<string, string[]>> => page.evaluate('window.__canvasTexts') as Promise<Record<string, string[]>>;
  await expect.poll(async () => (await texts())['Memory of Main process'] ?? []).toContain('threshold 1.0 MB');
  await expect.poll(async () => ((await texts())['Heap of Main process'] ?? []).length).toBeGreaterThan(0);
  const drawn = await texts();
  expect(drawn['Heap of Main process']!.filter((text) => text.startsWith('threshold'))).toEqual([]);
  expect(drawn['Event-loop delay of the main process']?.filter((text) => text.startsWith('threshold')) ?? []).toEqual([]);
});
