import { afterEach, expect, it } from 'vitest';
import { SHUTDOWN_MARGIN_MS } from '../src/main/core/base/lifecycle';
import { spawnBrokenWriterIndex, HANDLERS_INSTALLED } from './helpers/broken-writer-index';
import { makeTempDir } from './helpers/make-repo';

const shutdownTimeoutSeconds = 2;

let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(() => {
  temp?.remove();
});

/**
 * The input that never ends (issue 13 item 3: a FIFO made a run and then SIGTERM hang for
 * 94 s): a writer thread that never yields once its run starts. One SIGTERM must end the
 * process within SHUTDOWN_TIMEOUT plus the shutdown margin, saying the run was stopped.
 */
it('gitbot index exits after ONE SIGTERM within SHUTDOWN_TIMEOUT plus the margin while its run never yields', async () => {
  temp = makeTempDir('gitbot-sigterm-');
  const { gitbot, stdout, stderr, ready, exited } = spawnBrokenWriterIndex(temp, 'stuck.txt', { SHUTDOWN_TIMEOUT: String(shutdownTimeoutSeconds) });
  try {
    await ready;
    const sent = Date.now();
    gitbot.kill('SIGTERM');
    const { code, signal } = await exited;
    const elapsed = Date.now() - sent;
    // Ended by its own handler, not by the signal's default action.
    expect({ code, signal }).toEqual({ code: 1, signal: null });
    expect(elapsed).toBeLessThan(shutdownTimeoutSeconds * 1000 + SHUTDOWN_MARGIN_MS);
    const summary = JSON.parse(stdout().trim()) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'cancelled', error: 'Stopped by force: the run did not stop when asked', files_indexed: 0 });
    expect(stderr().replace(HANDLERS_INSTALLED, '')).toBe('');
  } finally {
    gitbot.kill('SIGKILL');
  }
}, 60_000);
