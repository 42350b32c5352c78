import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

/** Where the e2e run saves screenshots of the main states. */
export const screenshotDir = join(__dirname, '..', '..', 'test-results', 'screenshots');

/** The window sizes the layout is checked at (issue 14: a small laptop, a common laptop, a desktop). */
export const layoutViewports = [
  [1024, 700],
  [1440, 900],
  [1920, 1080],
] as const;

export interface ChartTimingSummary {
  readonly count: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/**
 * The browser dashboard as tests see it: typed helpers over accessible names, so a test
 * reads like the journey it checks and survives markup changes.
 */
export class DashboardPage {
  readonly memory: Locator;
  readonly repositoryPath: Locator;
  readonly indexButton: Locator;
  readonly repositoryError: Locator;
  readonly indexing: Locator;
  readonly progressBar: Locator;
  readonly cancelIndexing: Locator;
  readonly searchBox: Locator;
  readonly searchResults: Locator;
  readonly pool: Locator;
  readonly tasks: Locator;
  readonly searchTab: Locator;
  readonly dashboardTab: Locator;
  readonly preview: Locator;
  readonly memoryTable: Locator;

  constructor(readonly page: Page) {
    this.memory = page.getByRole('region', { name: 'Memory' });
    this.repositoryPath = page.getByRole('textbox', { name: 'Repository path' });
    this.indexButton = page.getByRole('button', { name: 'Index', exact: true });
    this.repositoryError = page.getByRole('region', { name: 'Repository' }).getByRole('alert');
    this.indexing = page.getByRole('region', { name: 'Indexing' });
    this.progressBar = page.getByRole('progressbar', { name: 'Indexing progress' });
    this.cancelIndexing = page.getByRole('button', { name: 'Cancel indexing', exact: true });
    this.searchBox = page.getByRole('searchbox', { name: 'Search' });
    this.searchResults = page.getByRole('tree', { name: 'Search results' });
    this.searchTab = page.getByRole('tab', { name: /^Search/ });
    this.dashboardTab = page.getByRole('tab', { name: /^Dashboard/ });
    this.preview = page.getByRole('region', { name: 'Preview' });
    this.memoryTable = page.getByRole('table', { name: 'Processes and threads' });
    this.pool = page.getByRole('region', { name: 'Database pool' });
    this.tasks = page.getByRole('table', { name: 'Background tasks' });
  }

  /** Opens the dashboard URL printed by `gitbot serve`, with the test hook enabled. */
  static async open(page: Page, url: string): Promise<DashboardPage> {
    const dashboard = new DashboardPage(page);
    await page.goto(`${url}${url.includes('?') ? '&' : '?'}e2e=1`);
    await dashboard.waitUntilLoaded();
    return dashboard;
  }

  /** Loaded means the search view is up and the first live sample arrived (the top bar says Live). */
  async waitUntilLoaded(): Promise<void> {
    await expect(this.searchTab).toHaveAttribute('aria-selected', 'true');
    await expect(this.page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible();
  }

  /** Shows the monitoring dashboard (Ctrl+J) and waits for its first memory figure. */
  async showDashboard(): Promise<void> {
    await this.page.keyboard.press('Control+j');
    await expect(this.dashboardTab).toHaveAttribute('aria-selected', 'true');
    await expect(this.memory.getByText(/^RSS \d+\.\d MB$/)).toBeVisible();
  }

  /** Back to search with Ctrl+K; the query box has focus. */
  async showSearch(): Promise<void> {
    await this.page.keyboard.press('Control+k');
    await expect(this.searchBox).toBeFocused();
  }

  /** A result row by its accessible name, e.g. "Line 1: export const greeting…" or "src/a.ts in repo, 2 matches". */
  resultRow(name: string | RegExp): Locator {
    return this.searchResults.getByRole('treeitem', { name });
  }

  /** Indexes `path` from the dashboard and waits until the run is done; back on the search view after. */
  async indexAndWait(path: string): Promise<void> {
    await this.showDashboard();
    await this.startIndexing(path);
    await expect(this.runStatus('Done')).toBeVisible({ timeout: 60_000 });
  }

  /** The latest memory values as shown, e.g. ["RSS 85.2 MB", "Heap used 40.1 MB", ...]. */
  async memoryValues(): Promise<string[]> {
    return this.memory.getByRole('list', { name: 'Latest memory values' }).getByRole('listitem').allInnerTexts();
  }

  async rssText(): Promise<string> {
    return this.memory.getByText(/^RSS \d+\.\d MB$/).innerText();
  }

  async selectTimeWindow(label: '1 min' | '5 min' | '15 min' | '1 h'): Promise<void> {
    await this.memory.getByRole('radio', { name: label }).check();
  }

  async startIndexing(path: string): Promise<void> {
    await this.repositoryPath.fill(path);
    await this.indexButton.click();
  }

  /** Records every aria-valuenow the progress bar takes from now on (read with progressValues). */
  async recordProgress(): Promise<void> {
    // A string, because the e2e project is typed for Node, not the DOM.
    await this.page.evaluate(`(() => {
      const seen = [];
      const texts = [];
      window.__progressSeen = seen;
      window.__progressTexts = texts;
      const read = () => {
        const bar = document.querySelector('[role="progressbar"]');
        const value = bar?.getAttribute('aria-valuenow');
        const text = bar?.getAttribute('aria-valuetext');
        if (value != null && seen[seen.length - 1] !== Number(value)) seen.push(Number(value));
        if (text != null && texts[texts.length - 1] !== text) texts.push(text);
      };
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow', 'aria-valuetext'] });
    })()`);
  }

  async progressValues(): Promise<number[]> {
    return this.evaluate<number[]>('window.__progressSeen ?? []');
  }

  /** The status badge of the current run: Running, Done, Cancelled or Failed. */
  runStatus(status: 'Running' | 'Done' | 'Cancelled' | 'Failed'): Locator {
    return this.indexing.getByText(status, { exact: true });
  }

  /** Opens the skipped-files list of the current run and returns it. */
  async openSkippedFiles(): Promise<Locator> {
    await this.indexing.locator('summary', { hasText: 'Skipped files' }).click();
    return this.indexing.getByRole('list', { name: 'Skipped files' });
  }

  async search(query: string): Promise<void> {
    await this.searchBox.fill(query);
  }

  /** Points each live chart drew last, by the chart's label. */
  async chartPoints(): Promise<Record<string, number>> {
    return this.evaluate('window.__gitbotTest.chartPoints()');
  }

  /** Pushes `count` synthetic 1 Hz samples through the real store and charts; returns the store's sample count. */
  async pushSamples(count: number): Promise<number> {
    return this.evaluate(`window.__gitbotTest.pushSamples(${Number(count)})`);
  }

  async chartTimings(): Promise<ChartTimingSummary> {
    return this.evaluate('window.__gitbotTest.chartTimings()');
  }

  async resetChartTimings(): Promise<void> {
    await this.evaluate('window.__gitbotTest.resetChartTimings()');
  }

  /** Saves a full-page screenshot as test-results/screenshots/<name>.png (ignored by git) and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `${name}.png`);
    // A full-page capture draws the sticky header where the page is scrolled to: start at the top.
    await this.page.evaluate('window.scrollTo(0, 0)');
    await this.page.screenshot({ path, fullPage: true, animations: 'disabled' });
    return path;
  }

  /** Records every long task (over 50 ms) of the page from now on (read with longTasks). */
  async recordLongTasks(): Promise<void> {
    await this.page.evaluate(`(() => {
      const seen = [];
      window.__longTasks = seen;
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) seen.push(entry.duration); }).observe({ type: 'longtask' });
    })()`);
  }

  async longTasks(): Promise<number[]> {
    return this.evaluate<number[]>('window.__longTasks ?? []');
  }

  /** Records the text of every element matching `selector` that appears from now on (read with recordedTexts). */
  async recordTexts(selector: string): Promise<void> {
    await this.page.evaluate(`(() => {
      const seen = [];
      window.__textsSeen = seen;
      const read = () => {
        for (const element of document.querySelectorAll(${JSON.stringify(selector)})) {
          const text = element.textContent ?? '';
          if (!seen.includes(text)) seen.push(text);
        }
      };
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
  }

  async recordedTexts(): Promise<string[]> {
    return this.evaluate<string[]>('window.__textsSeen ?? []');
  }

  /** Every aria-valuetext the progress bar took (read after recordProgress). */
  async progressTexts(): Promise<string[]> {
    return this.evaluate<string[]>('window.__progressTexts ?? []');
  }

  /** Evaluates an expression in the page (the test hook exists only with ?e2e=1). */
  private evaluate<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }
}
