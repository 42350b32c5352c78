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

test('hovering a chart shows the time under the cursor and each value; the time axis ends at now', async ({ page, server }) => {
  const dashboard = await DashboardPage.open(page, server.url);
  await dashboard.showDashboard();
  const chart = page.getByRole('img', { name: 'Memory of Main process' });
  const plot = chart.locator('.u-over');
  // Samples come every 250 ms; the axis ends at the newest.
  await expect.poll(async () => (await chart.locator('.u-legend .u-value').allTextContents()).length).toBeGreaterThan(1);
  const box = await plot.boundingBox();
  if (box === null) throw new Error('the chart has no plot area');
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
  const values = chart.locator('.u-legend .u-value');
  // The first legend value is the time under the cursor, the next ones the series' values.
  await expect(values.first()).toHaveText(/^\d{1,2}:\d{2}:\d{2}/);
  const [time, ...figures] = await values.allTextContents();
  expect(figures.some((figure) => /\d/.test(figure))).toBe(true);
  // At the right edge the time is the newest sample's, a moment ago: the axis never runs on into the future.
  const secondsOfDay = (text: string): number => {
    const [clock = '', half] = text.trim().split(/\s+/);
    const [hours = 0, minutes = 0, seconds = 0] = clock.split(':').map(Number);
    return (((hours % 12) + (half === 'PM' ? 12 : half === 'AM' ? 0 : hours >= 12 ? 12 : 0)) * 3600 + minutes * 60 + seconds) % 86400;
  };
  const now = (await page.evaluate(() => new Date().toLocaleTimeString())) as string;
  const gap = (secondsOfDay(now) - secondsOfDay(time ?? '') + 86400) % 86400;
  expect(gap, `legend ${time} at the right edge, now ${now}`).toBeLessThanOrEqual(10);
});
