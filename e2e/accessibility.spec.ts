import { rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { makeRepo } from './support/repo';
import { DashboardPage } from './pages/dashboard-page';
import { contrastRatio, composite, flatten, isLargeText, LARGE_TEXT_MIN_RATIO, parseCssColor, TEXT_MIN_RATIO, type Rgba } from './support/contrast';
import {
  chartAxesScript,
  focusRingScript,
  removeStartScript,
  tabbablesScript,
  textSamplesScript,
  type ChartAxis,
  type FocusRing,
  type ProbedElement,
  type Tabbable,
  type TextSample,
} from './support/a11y-probe';

// Issue 14: "contrast at least 4.5:1 for text and 3:1 for focus rings; Tab order that follows the
// layout; every control reachable by keyboard", checked in both themes (the app follows the OS).

/** The backgrounds an element may be seen against: its flattened layers, or each stop of a gradient behind it. */
function backgroundsSeen(element: ProbedElement): Rgba[] {
  if (element.gradientStops.length === 0) return [flatten(element.backgrounds)];
  const above = element.backgrounds.slice(0, -1);
  const under = element.backgrounds.slice(-1);
  return element.gradientStops.map((stop) => flatten([...above, stop, ...under]));
}

/** The lowest ratio of `color` over the backgrounds of `element`. */
function worstRatio(color: Rgba, element: ProbedElement): number {
  return Math.min(...backgroundsSeen(element).map((background) => contrastRatio(composite(color, background), background)));
}

/** Each text element under its ratio, as "label: ratio (needs n)". */
function lowContrastTexts(samples: readonly TextSample[]): string[] {
  return samples.flatMap((sample) => {
    const [r, g, b, alpha] = parseCssColor(sample.color);
    const ratio = worstRatio([r, g, b, alpha * sample.opacity], sample);
    const needed = isLargeText(sample.fontSizePx, sample.fontWeight) ? LARGE_TEXT_MIN_RATIO : TEXT_MIN_RATIO;
    return ratio < needed ? [`${sample.label}: ${ratio.toFixed(2)}:1 (needs ${needed}:1, ${sample.color} on ${sample.backgrounds.join(' / ')})`] : [];
  });
}

/** The ring's ratio against what surrounds it: the outline, or else the box-shadow's colour. */
function ringRatio(ring: FocusRing): number {
  const shadowColor = /^(rgba?\([^)]*\)|color\([^)]*\))/.exec(ring.boxShadow)?.[1];
  const color = ring.outlineStyle !== 'none' && ring.outlineWidthPx > 0 ? ring.outlineColor : shadowColor;
  return color === undefined ? 1 : worstRatio(parseCssColor(color), ring);
}

/** Tabs from the start of the page until focus leaves it; returns every stop. */
async function tabThrough(page: Page, limit: number): Promise<FocusRing[]> {
  const stops: FocusRing[] = [];
  for (let step = 0; step < limit; step += 1) {
    await page.keyboard.press('Tab');
    const ring = (await page.evaluate(focusRingScript)) as FocusRing;
    if (ring.id === null && ring.label.startsWith('body')) break;
    stops.push(ring);
  }
  await page.evaluate(removeStartScript);
  return stops;
}

async function checkView(page: Page, view: string): Promise<void> {
  const samples = (await page.evaluate(textSamplesScript)) as TextSample[];
  expect(samples.length, `text elements in the ${view}`).toBeGreaterThan(10);
  expect(lowContrastTexts(samples), `text under its contrast in the ${view}`).toEqual([]);

  const tabbables = (await page.evaluate(tabbablesScript)) as Tabbable[];
  const stops = await tabThrough(page, tabbables.length + 10);
  // Tab visits every control once, in document order, which the layout follows (no positive tabindex, no CSS reordering).
  expect(
    stops.map((stop) => stop.label),
    `Tab order in the ${view}`,
  ).toEqual(tabbables.map((tabbable) => tabbable.label));
  const weakRings = stops.filter((stop) => ringRatio(stop) < LARGE_TEXT_MIN_RATIO).map((stop) => `${stop.label}: ${ringRatio(stop).toFixed(2)}:1`);
  expect(weakRings, `focus rings under 3:1 in the ${view}`).toEqual([]);
}

/** Two files with a match each, so the results tree, its rows and the preview are on screen. */
function repository(): string {
  return makeRepo({
    'src/alpha.ts': ['const one = 1;', 'export const needle = "alpha";', ''].join('\n'),
    'docs/guide.md': ['# Guide', 'The needle is documented here.', ''].join('\n'),
  });
}

test.describe('accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`${theme} theme: text contrast, Tab order, every control reached, focus rings`, async ({ page, server }) => {
      const repo = repository();
      try {
        await page.emulateMedia({ colorScheme: theme });
        const dashboard = await DashboardPage.open(page, server.url);
        await dashboard.indexAndWait(repo);
        await dashboard.showSearch();
        await dashboard.search('needle');
        await expect(page.getByRole('status').filter({ hasText: /^2 matches in 2 files/ })).toBeVisible();
        await dashboard.resultRow('Line 2: The needle is documented here.').click();
        await expect(dashboard.preview.getByRole('list', { name: 'Lines around docs/guide.md:2' })).toBeVisible();
        await checkView(page, 'search view');

        await dashboard.showDashboard();
        await checkView(page, 'dashboard');
        // The charts' axis labels (canvas text, checked as text: 12 px or less).
        const axes = (await page.evaluate(chartAxesScript)) as ChartAxis[];
        expect(axes.length).toBeGreaterThan(1);
        const weakAxes = axes
          .filter((axis) => worstRatio(parseCssColor(axis.color), axis) < TEXT_MIN_RATIO)
          .map((axis) => `${axis.label}: ${worstRatio(parseCssColor(axis.color), axis).toFixed(2)}:1`);
        expect(weakAxes, 'chart axis labels under 4.5:1').toEqual([]);
      } finally {
        rmSync(repo, { recursive: true, force: true });
      }
    });
  }
});
