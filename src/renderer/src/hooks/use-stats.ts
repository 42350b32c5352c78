import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { GitbotApi } from '../../../shared/contract';
import type { StatsSample } from '../../../shared/types';
import { frameThrottle } from '../lib/frame-throttle';
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

/**
 * The store's change notifications, at most one per animation frame: samples that queue up on a
 * busy machine re-render a panel once. (Charts coalesce their own redraws the same way.)
 */
function subscribePerFrame(store: StatsStore, listener: () => void): () => void {
  const throttle = frameThrottle(listener);
  const unsubscribe = store.subscribe(() => throttle.schedule());
  return () => {
    throttle.cancel();
    unsubscribe();
  };
}

/** The newest sample, re-rendering at most once per frame as samples arrive. */
export function useLatestSample(store: StatsStore): StatsSample | null {
  const subscribe = useCallback((listener: () => void) => subscribePerFrame(store, listener), [store]);
  return useSyncExternalStore(subscribe, () => store.latest);
}

/**
 * A value derived from the store (`select` must return a primitive or a stable object), so a
 * component re-renders only when that value changes, not on every sample.
 */
export function useStoreValue<T>(store: StatsStore, select: (store: StatsStore) => T): T {
  const subscribe = useCallback((listener: () => void) => subscribePerFrame(store, listener), [store]);
  return useSyncExternalStore(subscribe, () => select(store));
}

/** The memory sources with a history (main, workers, app processes). */
export function useSources(store: StatsStore): readonly SourceInfo[] {
  return useStoreValue(store, (current) => current.sources);
}
