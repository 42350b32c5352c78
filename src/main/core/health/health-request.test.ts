import { afterEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../shared/types';
import type { EventName, EventPayloads } from '../../../shared/contract';
import { nextEvent, valueOf } from '../../../../test/helpers/core-api';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';

let opened: TestCore | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

function open(settings: Record<string, string>): TestCore {
  opened = createTestCore(settings, { logToFile: false });
  return opened;
}

function waitFor<E extends EventName>(testCore: TestCore, event: E, accept: (payload: EventPayloads[E]) => boolean): Promise<EventPayloads[E]> {
  return nextEvent(testCore.core.api, event, accept);
}

describe('getHealth through the core', () => {
  it('is healthy under generous limits, with every key of the seed and the extension', async () => {
    const testCore = open({ MEMORY_THRESHOLD_MB: '100000', MEMORY_LIMIT_MB: '0' });
    const done = testCore.core.tasks.run('rag_cleanup', {}, async () => 1);
    await done.done;
    const report = await valueOf(testCore.core.api.getHealth({}));
    expect(report.status).toBe('healthy');
    expect(report.reasons).toEqual([]);
    expect(Object.keys(report).sort()).toEqual(['background_tasks', 'database_pool', 'event_loop', 'memory', 'reasons', 'status']);
    expect(report.background_tasks).toEqual({ total_tasks: 1, active_tasks: 0, completed_tasks: 1, failed_tasks: 0, cancelled_tasks: 0, task_types: ['rag_cleanup'] });
    expect(Object.keys(report.memory).sort()).toEqual([
      'alert_mb',
      'external_mb',
      'heap_total_mb',
      'heap_used_mb',
      'last_cleanup',
      'percent',
      'rss_anon_mb',
      'rss_file_mb',
      'rss_mb',
      'threads',
      'threshold_mb',
      'vms_mb',
    ]);
    // Linux splits the RSS; the two parts add up to it (each rounded to 0.1 MB).
    expect(Math.abs((report.memory.rss_anon_mb ?? 0) + (report.memory.rss_file_mb ?? 0) - report.memory.rss_mb)).toBeLessThan(2);
    expect(report.memory.threads[0]?.name).toBe('main');
    expect(report.memory.threshold_mb).toBe(100000);
    expect(report.memory.rss_mb).toBeGreaterThan(report.memory.heap_used_mb);
    expect(report.memory.heap_used_mb).toBeGreaterThan(1);
    expect(Object.keys(report.event_loop).sort()).toEqual(['delay_p50_ms', 'delay_p99_ms', 'utilization']);
    expect(report.database_pool.max_connections).toBe(20);
  });

  it('is degraded when the RSS stays over MEMORY_THRESHOLD_MB after the cleanup, and pushes memory_cleanup', async () => {
    const testCore = open({ MEMORY_THRESHOLD_MB: '1', STATS_INTERVAL_MS: '50' });
    const alert = await waitFor(testCore, 'alert', (payload) => payload.kind === 'memory_cleanup');
    expect(alert.message).toMatch(/^Memory cleanup performed: RSS [\d.]+ MB → [\d.]+ MB, main heap [\d.]+ MB → [\d.]+ MB \(threshold 1 MB\)$/);
    // The next sample carries the cleanup's outcome.
    await waitFor(testCore, 'stats', (sample) => sample.lastCleanup?.stillOver === true);
    const report = await valueOf(testCore.core.api.getHealth({}));
    expect(report.status).toBe('degraded');
    expect(report.reasons).toHaveLength(1);
    expect(report.reasons[0]).toMatch(
      /^RSS [\d.]+ MB stays over MEMORY_THRESHOLD_MB 1 after a cleanup \([\d.]+ MB → [\d.]+ MB\); the thread holding most is \S+ \(heap [\d.]+ MB, external [\d.]+ MB\)$/,
    );
    expect(report.memory.last_cleanup?.still_over).toBe(true);
    const logs = await valueOf(testCore.core.api.getLogs({ level: 'info' }));
    expect(logs.some((entry) => entry.message === 'Memory cleanup performed' && entry.fields?.reason === 'threshold')).toBe(true);
  });

  it('is unhealthy above ALERT_PERCENT of MEMORY_LIMIT_MB and pushes memory_alert once', async () => {
    const testCore = open({ MEMORY_LIMIT_MB: '10', ALERT_PERCENT: '50', STATS_INTERVAL_MS: '50' });
    const alerts: AlertEvent[] = [];
    testCore.core.api.on('alert', (payload) => alerts.push(payload));
    await waitFor(testCore, 'stats', () => true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alerts.filter((alert) => alert.kind === 'memory_alert')).toHaveLength(1);
    expect(alerts.find((alert) => alert.kind === 'memory_alert')?.message).toMatch(/ is \d+(\.\d)?% of the 5 MB alert level$/);
    const report = await valueOf(testCore.core.api.getHealth({}));
    expect(report.status).toBe('unhealthy');
    expect(report.reasons[0]).toMatch(
      new RegExp(`^RSS ${report.memory.rss_mb} MB is at or above the alert level of 5 MB; the thread holding most is main \\(heap [\\d.]+ MB, external [\\d.]+ MB\\)$`),
    );
  });

  it('pushes stats with V8 figures and keeps them in getStatsHistory', async () => {
    const testCore = open({ STATS_INTERVAL_MS: '50' });
    const sample = await waitFor(testCore, 'stats', () => true);
    expect(sample.v8?.usedHeapSize).toBeGreaterThan(0);
    expect(sample.alertBytes).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const history = await valueOf(testCore.core.api.getStatsHistory({ seconds: 60 }));
    expect(history.length).toBeGreaterThanOrEqual(3);
    expect(history.map((entry) => entry.time)).toEqual([...history.map((entry) => entry.time)].sort((a, b) => a - b));
  });
});
