/** Chart colours come from CSS custom properties so both themes are defined in one stylesheet. */
export interface Palette {
  readonly series: readonly string[];
  readonly axis: string;
  readonly grid: string;
  readonly threshold: string;
  readonly markerGc: string;
  readonly markerCleanup: string;
  readonly markerAlert: string;
}

const fallback: Palette = {
  series: ['#2563eb', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#db2777'],
  axis: '#6b7280',
  grid: 'rgba(127,127,127,0.15)',
  threshold: '#dc2626',
  markerGc: '#9ca3af',
  markerCleanup: '#d97706',
  markerAlert: '#dc2626',
};

/** Reads the palette of the current theme. */
export function readPalette(element: Element = document.documentElement): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, otherwise: string): string => style.getPropertyValue(name).trim() || otherwise;
  return {
    series: fallback.series.map((color, index) => read(`--chart-${index + 1}`, color)),
    axis: read('--chart-axis', fallback.axis),
    grid: read('--chart-grid', fallback.grid),
    threshold: read('--chart-threshold', fallback.threshold),
    markerGc: read('--chart-marker-gc', fallback.markerGc),
    markerCleanup: read('--chart-marker-cleanup', fallback.markerCleanup),
    markerAlert: read('--chart-marker-alert', fallback.markerAlert),
  };
}

/** Calls `listener` when the OS switches between light and dark; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  if (typeof window.matchMedia !== 'function') {
    return () => undefined;
  }
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
