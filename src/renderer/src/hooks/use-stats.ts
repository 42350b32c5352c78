import { useEffect, useSyncExternalStore } from 'react';
import type { GitbotApi } from '../../../shared/contract';
import type { StatsSample } from '../../../shared/types';
import type { StatsStore, SourceInfo } from '../lib/stats-store';

/** How much history the dashboard asks for when it opens: the longest chart window. */
export const HISTORY_SECONDS = 3600;

/**
 * Feeds the store: live `stats` and `alert` events first (so nothing is missed), then the
 * history the core kept, loaded once. Unsubscribes on unmount.
 */
export function useStatsFeed(api: GitbotApi, store: StatsStore): void {
  useEffect(() => {
    let active = true;
    const offStats = api.on('stats', (sample) => store.push(sample));
    const offAlert = api.on('alert', (alert) => store.addAlert(alert));
    void api.getStatsHistory({ seconds: HISTORY_SECONDS }).then((result) => {
      if (active && result.ok) {
        store.load(result.value);
      }
    });
    return () => {
      active = false;
      offStats();
      offAlert();
    };
  }, [api, store]);
}

/** The newest sample, re-rendering on each one. */
export function useLatestSample(store: StatsStore): StatsSample | null {
  return useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.latest,
  );
}

/** The memory sources with a history (main, workers, app processes). */
export function useSources(store: StatsStore): readonly SourceInfo[] {
  return useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.sources,
  );
}
