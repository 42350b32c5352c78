import { describe, expect, it } from 'vitest';
import type { PoolStatus } from '../../../shared/health';
import type { StatsSample } from '../../../shared/types';
import type { TaskCounts } from '../tasks/task-manager';
import { buildHealthReport } from './health-report';

const MIB = 1024 * 1024;

function sample(change: { rss?: number; heapUsed?: number; alertBytes?: number } = {}): StatsSample {
  return {
    time: 0,
    main: { rss: change.rss ?? 80 * MIB, heapUsed: change.heapUsed ?? 40 * MIB, heapTotal: 60 * MIB, external: 3 * MIB, arrayBuffers: MIB, vmSize: 900 * MIB },
    percent: 1.234567,
    heapLimit: 4096 * MIB,
    thresholdBytes: 100 * MIB,
    alertBytes: change.alertBytes ?? 1000 * MIB,
    eventLoop: { delayP50Ms: 10.1, delayP99Ms: 25.5, utilization: 0.123456 },
    gc: [],
    workers: [],
    processes: [],
    pool: pool(),
    tasks: { active: 0, total: 0 },
  };
}

function pool(change: Partial<PoolStatus> = {}): PoolStatus {
  return {
    size: 2, checked_out: 0, overflow: 0, idle: 2, waiting: 0, max_connections: 20, max_overflow: 10, timeout_s: 30, recycle_s: 3600,
    pre_ping: true, created: 2, recycled: 0, pre_ping_failures: 0, timeouts: 0, create_failures: 0, acquire_wait_p50_ms: 0, acquire_wait_p95_ms: 0, ...change,
  };
}

const tasks = (change: Partial<TaskCounts> = {}): TaskCounts => ({ total: 6, active: 2, completed: 2, failed: 1, cancelled: 1, stuck: 0, types: ['indexing', 'periodic_cleanup'], ...change });

describe('buildHealthReport', () => {
  it('is healthy with the seed keys and the extended ones, rounded', () => {
    const report = buildHealthReport({ sample: sample(), tasks: tasks(), pool: pool(), thresholdMb: 100 });
    expect(report).toEqual({
      status: 'healthy',
      reasons: [],
      background_tasks: { total_tasks: 6, active_tasks: 2, completed_tasks: 2, failed_tasks: 1, cancelled_tasks: 1, task_types: ['indexing', 'periodic_cleanup'] },
      memory: { rss_mb: 80, vms_mb: 900, percent: 1.23, heap_used_mb: 40, heap_total_mb: 60, external_mb: 3, threshold_mb: 100 },
      event_loop: { delay_p50_ms: 10.1, delay_p99_ms: 25.5, utilization: 0.123 },
      database_pool: pool(),
    });
  });

  it('is degraded when the heap is over MEMORY_THRESHOLD_MB', () => {
    const report = buildHealthReport({ sample: sample({ heapUsed: 100 * MIB + 200 * 1024 }), tasks: tasks(), pool: pool(), thresholdMb: 100 });
    expect(report.status).toBe('degraded');
    expect(report.reasons).toEqual(['Heap 100.2 MB is over MEMORY_THRESHOLD_MB 100']);
    expect(buildHealthReport({ sample: sample({ heapUsed: 100 * MIB }), tasks: tasks(), pool: pool(), thresholdMb: 100 }).status).toBe('healthy');
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
      sample: sample({ rss: 900 * MIB, heapUsed: 150 * MIB, alertBytes: 800 * MIB }),
      tasks: tasks({ stuck: 2 }),
      pool: pool({ checked_out: 19 }),
      thresholdMb: 100,
    });
    expect(report.status).toBe('unhealthy');
    expect(report.reasons).toEqual([
      'RSS 900 MB is at or above the alert level of 800 MB',
      'Heap 150 MB is over MEMORY_THRESHOLD_MB 100',
      'Database pool near exhaustion: 19/20 connections checked out (95%)',
      '2 background tasks are stuck',
    ]);
  });
});
