import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import { makeRepo } from './support/repo';
import { DashboardPage, screenshotDir } from './pages/dashboard-page';
import { mainThreadTasks, summarizeTasks } from './support/trace';

test('dashboard while indexing: no main-thread task over 50 ms of CPU (PerformanceObserver longtask + Chrome trace)', async ({ page, server, browser }) => {
  test.setTimeout(180_000);
  const files: Record<string, string> = {};
  for (let index = 0; index < 3000; index += 1) {
    files[`pkg-${index % 30}/file-${index}.ts`] = `export const value${index} = ${index};\n`.repeat(200);
  }
  const root = makeRepo(files);
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  try {
    const dashboard = await DashboardPage.open(page, server.url);
    await dashboard.showDashboard();
    await dashboard.recordLongTasks();
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const started = Date.now();
    await dashboard.startIndexing(root);
    await expect(dashboard.runStatus('Done')).toBeVisible({ timeout: 120_000 });
    const indexingMs = Date.now() - started;
    const raw = (await browser.stopTracing()).toString('utf8');
    if (process.env.GITBOT_KEEP_TRACE) writeFileSync(process.env.GITBOT_KEEP_TRACE, raw);
    const trace = JSON.parse(raw) as { traceEvents: unknown[] };
    const longTasks = await dashboard.longTasks();
    const tasks = mainThreadTasks(trace.traceEvents);
    const summary = summarizeTasks(tasks);
    const figures = { loadAverage: load(), indexingMs, observer: { longTasks: longTasks.length, worstWallMs: Math.max(0, ...longTasks) }, trace: summary };
    console.log(`dashboard main thread while indexing: ${JSON.stringify(figures)}`);
    mkdirSync(screenshotDir, { recursive: true });
    writeFileSync(join(screenshotDir, '..', 'dashboard-main-thread.json'), `${JSON.stringify(figures, null, 2)}\n`);
    expect(summary.tasks).toBeGreaterThan(10);
    expect(summary.worstThreadMs, JSON.stringify(summary.worst)).toBeLessThan(50);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
