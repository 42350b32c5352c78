import type { ProcessMetric } from 'electron';
import type { ProcessMemory } from '../../shared/types';

/** Electron's per-process metrics in the core's shape (Electron reports memory in KB). */
export function toProcessMemory(metrics: readonly ProcessMetric[]): ProcessMemory[] {
  return metrics.map((metric) => ({
    pid: metric.pid,
    type: metric.type,
    name: metric.name ?? metric.serviceName ?? metric.type,
    workingSet: metric.memory.workingSetSize * 1024,
    cpuPercent: metric.cpu.percentCPUUsage,
  }));
}
