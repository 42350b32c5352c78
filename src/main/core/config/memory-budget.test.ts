import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config';
import { alertLevelBytes, memoryBudget } from './memory-budget';

const MIB = 1024 * 1024;

describe('memoryBudget', () => {
  it('derives every thread budget from the default MEMORY_THRESHOLD_MB of 100', () => {
    const budget = memoryBudget(loadConfig({ env: {} }).values, 8000 * MIB);
    expect(budget).toEqual({
      thresholdBytes: 100 * MIB,
      alertBytes: 6400 * MIB,
      searchReaderLimits: { maxOldGenerationSizeMb: 50, maxYoungGenerationSizeMb: 4 },
      readerCacheKib: 16_384,
      readerCacheUnderPressureKib: 4096,
      searchHoldBytes: 12.5 * MIB,
      searchPageBytes: 3.125 * MIB,
      listingWindowBytes: 6.25 * MIB,
      readerTrimStepBytes: 6.25 * MIB,
      indexThreadHeapBytes: 12.5 * MIB,
      minDocumentsPerBatch: 25,
    });
  });

  it('scales with the threshold and keeps floors for tiny ones', () => {
    const large = memoryBudget({ MEMORY_THRESHOLD_MB: 400, MEMORY_LIMIT_MB: 1000, ALERT_PERCENT: 90, MAX_DOCUMENTS_PER_BATCH: 100 });
    expect(large.searchReaderLimits.maxOldGenerationSizeMb).toBe(200);
    expect(large.searchHoldBytes).toBe(50 * MIB);
    expect(large.alertBytes).toBe(900 * MIB);
    const tiny = memoryBudget({ MEMORY_THRESHOLD_MB: 1, MEMORY_LIMIT_MB: 0, ALERT_PERCENT: 80, MAX_DOCUMENTS_PER_BATCH: 1 });
    expect(tiny.searchReaderLimits.maxOldGenerationSizeMb).toBe(16);
    expect(tiny.readerCacheKib).toBe(512);
    expect(tiny.searchHoldBytes).toBe(MIB);
    expect(tiny.listingWindowBytes).toBe(MIB / 2);
    expect(tiny.indexThreadHeapBytes).toBe(4 * MIB);
    expect(tiny.minDocumentsPerBatch).toBe(1);
  });

  it('puts the alert at ALERT_PERCENT of MEMORY_LIMIT_MB, or of system memory when the limit is 0', () => {
    expect(alertLevelBytes(500, 80)).toBe(400 * MIB);
    expect(alertLevelBytes(0, 50, 2000 * MIB)).toBe(1000 * MIB);
  });
});
