import type { Logger } from '../log/logger';
import { toMb } from './process-memory';

/** One periodic GC (the seed's GC_INTERVAL job): logs the seed's line with what it freed, or nothing where GC is not exposed. */
export function periodicGc(collect: () => boolean, logger: Logger): boolean {
  const before = process.memoryUsage().heapUsed;
  if (!collect()) return false;
  const after = process.memoryUsage().heapUsed;
  logger.info('Memory cleanup performed', { reason: 'periodic', heap_before_mb: toMb(before), heap_after_mb: toMb(after) });
  return true;
}
