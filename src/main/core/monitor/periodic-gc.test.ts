import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/types';
import { SinkLogger } from '../log/logger';
import { periodicGc } from './periodic-gc';

describe('periodicGc', () => {
  it('periodicGc says whether it collected and logs the heap before and after', () => {
    const logs: LogEntry[] = [];
    const logger = new SinkLogger('debug', [(entry) => logs.push(entry)]);
    expect(periodicGc(() => false, logger)).toBe(false);
    expect(logs).toEqual([]);
    expect(periodicGc(() => true, logger)).toBe(true);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.message).toBe('Memory cleanup performed');
    expect(logs[0]?.fields).toMatchObject({ reason: 'periodic' });
    expect(logs[0]?.fields?.heap_before_mb).toBeGreaterThan(0);
  });
});
