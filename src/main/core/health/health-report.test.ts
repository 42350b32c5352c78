import { describe, expect, it } from 'vitest';
import { idlePoolStatus, type PoolStatus } from '../../../shared/health';
import type { StatsSample } from '../../../shared/types';
import type { TaskCounts } from '../tasks/task-manager';
import { buildHealthReport } from './health-report';

const MIB = 1024 * 1024;

function sample(change: Partial<Pick<StatsSample, 'workers' | 'lastCleanup'>> & { rss?: number; heapUsed?: number; alertBytes?: number } = {}): StatsSample {
  return {
    time: 0,
    main: {
      rss: change.rss ?? 80 * MIB,
      heapUsed: change.heapUsed ?? 40 * MIB,
      heapTotal: 60 * MIB,
      external: 3 * MIB,
      arrayBuffers: MIB,
      vmSize: 900 * MIB,
      rssAnonymous: 35 * MIB,
      rssFileBacked: 45 * MIB,
    },
    percent: 1.234567,
    heapLimit: 4096 * MIB,
    thresholdBytes: 100 * MIB,
    alertBytes: change.alertBytes ?? 1000 * MIB,
    eventLoop: { delayP50Ms: 10.1, delayP99Ms: 25.5, utilization: 0.123456 },
    gc: [],
    workers: change.workers ?? [],
    processes: [],
    pool: pool(),
    tasks: { active: 0, total: 0 },
    lastCleanup: change.lastCleanup ?? null,
  };
}

function pool(change: Partial<PoolStatus> = {}): PoolStatus {
  return idlePoolStatus({ size: 2, idle: 2, created: 2, ...change });
}

const tasks = (change: Partial<TaskCounts> = {}): TaskCounts => ({ total: 6, active: 2, completed: 2, failed: 1, cancelled: 1, stuck: 0, types: ['indexing', 'periodic_cleanup'], ...change });

describe('buildHealthReport', () => {
  it('is healthy with the seed keys and the extended ones, rounded', () => {
    const report = buildHealthReport({ sample: sample(), tasks: tasks(), pool: pool(), thresholdMb: 100 });
    expect(report).toEqual({
      status: 'healthy',
      reasons: [],
      background_tasks: { total_tasks: 6, active_tasks: 2, completed_tasks: 2, failed_tasks: 1, cancelled_tasks: 1, task_types: ['indexing', 'periodic_cleanup'] },
      memory: {
        rss_mb: 80,
        rss_anon_mb: 35,
        rss_file_mb: 45,
        vms_mb: 900,
        percent: 1.23,
        heap_used_mb: 40,
        heap_total_mb: 60,
        external_mb: 3,
        threshold_mb: 100,
        alert_mb: 1000,
        threads: [{ name: 'main', heap_used_mb: 40, heap_total_mb: 60, external_mb: 3 }],
        last_cleanup: null,
      },
      event_loop: { delay_p50_ms: 10.1, delay_p99_ms: 25.5, utilization: 0.123 },
      database_pool: pool(),
    });
  });

  const readers = [
    { threadId: 3, name: 'reader-worker-1', heapUsed: 20 * MIB, heapTotal: 30 * MIB, external: 2 * MIB },
    { threadId: 4, name: 'reader-worker-2', heapUsed: 50 * MIB, heapTotal: 70 * MIB, external: 5 * MIB },
  ];

  it('is degraded when the RSS stays over MEMORY_THRESHOLD_MB after a cleanup, naming the thread that holds most', () => {
    const stillOver = sample({ rss: 150 * MIB, workers: readers, lastCleanup: { time: 0, rssBefore: 180 * MIB, rssAfter: 150 * MIB, stillOver: true } });
    const report = buildHealthReport({ sample: stillOver, tasks: tasks(), pool: pool(), thresholdMb: 100 });
    expect(report.status).toBe('degraded');
    expect(report.reasons).toEqual(['RSS 150 MB stays over MEMORY_THRESHOLD_MB 100 after a cleanup (180 MB → 150 MB); the thread holding most is reader-worker-2 (heap 70 MB, external 5 MB)']);
    expect(report.memory.threads.map((thread) => thread.name)).toEqual(['main', 'reader-worker-2', 'reader-worker-1']);
    expect(report.memory.last_cleanup).toEqual({ rss_before_mb: 180, rss_after_mb: 150, still_over: true });
    // Over the threshold, but no cleanup has run yet (or it brought the RSS under): healthy.
    expect(buildHealthReport({ sample: sample({ rss: 150 * MIB, workers: readers }), tasks: tasks(), pool: pool(), thresholdMb: 100 }).status).toBe('healthy');
    const relieved = sample({ rss: 90 * MIB, lastCleanup: { time: 0, rssBefore: 180 * MIB, rssAfter: 90 * MIB, stillOver: false } });
    expect(buildHealthReport({ sample: relieved, tasks: tasks(), pool: pool(), thresholdMb: 100 }).status).toBe('healthy');
    // The main heap alone no longer decides anything.
    expect(buildHealthReport({ sample: sample({ heapUsed: 150 * MIB }), tasks: tasks(), pool: pool(), thresholdMb: 100 }).status).toBe('healthy');
  });

  it('is degraded when the pool is near exhaustion (90% of max connections), like the seed warning', () => {
    const near = buildHealthReport({ sample: sample(), tasks: tasks(), pool: pool({ checked_out: 18 }), thresholdMb: 100 });
    expect(near.status).toBe('degraded');
    expect(near.reasons).toEqual(['Database pool near exhaustion: 18/20 connections checked out (90%)']);
    expect(buildHealthReport({ sample: sample(), tasks: tasks(), pool: pool({ checked_out: 17 }), thresholdMb: 100 }).status).toBe('healthy');
  });

  it('is unhealthy when every connection is out and requests wait', () => {
    const report = buildHealthReport({ sample: sample(), tasks: tasks(), pool: pool({ checked_out: 30, overflow: 10, waiting: 4 }), thresholdMb: 100 });
    expect(report.status).toBe('unhealthy');
    expect(report.reasons).toEqual(['Database pool exhausted: 30/30 connections checked out and 4 waiting']);
    // All out but nobody waiting yet: only near exhaustion.
    expect(buildHealthReport({ sample: sample(), tasks: tasks(), pool: pool({ checked_out: 30 }), thresholdMb: 100 }).status).toBe('degraded');
  });

  it('is degraded when tasks are stuck', () => {
    expect(buildHealthReport({ sample: sample(), tasks: tasks({ stuck: 1 }), pool: pool(), thresholdMb: 100 }).reasons).toEqual(['1 background task is stuck']);
    const report = buildHealthReport({ sample: sample(), tasks: tasks({ stuck: 3 }), pool: pool(), thresholdMb: 100 });
    expect(report.status).toBe('degraded');
    expect(report.reasons).toEqual(['3 background tasks are stuck']);
  });

  it('is unhealthy at the alert level, and lists every reason, worst first', () => {
    const report = buildHealthReport({
      sample: sample({ rss: 900 * MIB, alertBytes: 800 * MIB, lastCleanup: { time: 0, rssBefore: 950 * MIB, rssAfter: 900 * MIB, stillOver: true } }),
      tasks: tasks({ stuck: 2 }),
      pool: pool({ checked_out: 19 }),
      thresholdMb: 100,
    });
    expect(report.status).toBe('unhealthy');
    expect(report.reasons).toEqual([
      'RSS 900 MB is at or above the alert level of 800 MB; the thread holding most is main (heap 60 MB, external 3 MB)',
      'RSS 900 MB stays over MEMORY_THRESHOLD_MB 100 after a cleanup (950 MB → 900 MB); the thread holding most is main (heap 60 MB, external 3 MB)',
      'Database pool near exhaustion: 19/20 connections checked out (95%)',
      '2 background tasks are stuck',
    ]);
  });
});
