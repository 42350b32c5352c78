import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/types';
import { createTestCore } from '../../../../test/helpers/test-core';
import { formatLogLine, SinkLogger } from './logger';

describe('SinkLogger', () => {
  it('hands entries at or above its level to every sink, with fields and time', () => {
    const first: LogEntry[] = [];
    const second: LogEntry[] = [];
    const logger = new SinkLogger('info', [(entry) => first.push(entry), (entry) => second.push(entry)], () => 1234);
    logger.debug('hidden');
    logger.info('Memory cleanup performed');
    logger.warn('careful', { n: 1 });
    logger.error('broken', { ok: false, none: null });
    expect(first).toEqual([
      { time: 1234, level: 'info', message: 'Memory cleanup performed' },
      { time: 1234, level: 'warn', message: 'careful', fields: { n: 1 } },
      { time: 1234, level: 'error', message: 'broken', fields: { ok: false, none: null } },
    ]);
    expect(second).toEqual(first);
  });

  it('keeps going when a sink throws', () => {
    const received: string[] = [];
    const logger = new SinkLogger('debug', [
      () => {
        throw new Error('disk full');
      },
      (entry) => received.push(entry.message),
    ]);
    expect(() => logger.error('still logged')).not.toThrow();
    expect(received).toEqual(['still logged']);
  });

  it('formats lines the way the seed shows them', () => {
    const time = Date.UTC(2025, 0, 2, 3, 4, 5, 6);
    expect(formatLogLine({ time, level: 'info', message: 'Cleaned up 3 old background tasks' })).toBe('2025-01-02T03:04:05.006Z [INFO] Cleaned up 3 old background tasks');
    expect(formatLogLine({ time, level: 'warn', message: 'High connection usage', fields: { checked_out: 18 } })).toBe('2025-01-02T03:04:05.006Z [WARN] High connection usage {"checked_out":18}');
  });
});

describe('logging through the core', () => {
  it('writes the rotating file in the data folder, pushes log events and filters getLogs by level and above', async () => {
    const testCore = createTestCore({ LOG_LEVEL: 'debug' }, { logToFile: true });
    try {
      const events: LogEntry[] = [];
      testCore.core.api.on('log', (payload) => events.push(payload));
      testCore.core.logger.debug('a debug line');
      testCore.core.logger.info('Cleaned up 2 old background tasks');
      testCore.core.logger.warn('a warning');
      testCore.core.logger.error('an error');
      expect(events.map((entry) => entry.level)).toEqual(['debug', 'info', 'warn', 'error']);
      const warnAndAbove = await testCore.core.api.getLogs({ level: 'warn' });
      expect(warnAndAbove.ok && warnAndAbove.value).toEqual(events.slice(2));
      const lastTwo = await testCore.core.api.getLogs({ limit: 2 });
      expect(lastTwo.ok && lastTwo.value).toEqual(events.slice(2));
      const file = readFileSync(`${testCore.dir}/logs/gitbot.log`, 'utf8').trim().split('\n');
      expect(file.map((line) => line.replace(/^\S+ /, ''))).toEqual(['[DEBUG] a debug line', '[INFO] Cleaned up 2 old background tasks', '[WARN] a warning', '[ERROR] an error']);
    } finally {
      await testCore.close();
    }
  });

  it('rejects an unknown level with the message the user sees', async () => {
    const testCore = createTestCore({}, { logToFile: false });
    try {
      expect(await testCore.core.dispatch('getLogs', { level: 'loud' })).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'Invalid argument for getLogs: level: Invalid option: expected one of "debug"|"info"|"warn"|"error"' },
      });
    } finally {
      await testCore.close();
    }
  });
});
