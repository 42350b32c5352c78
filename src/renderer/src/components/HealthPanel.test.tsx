import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { HealthReport } from '../../../shared/health';
import type { TaskInfo } from '../../../shared/types';
import { createFakeApi, fail, ok, poolStatus } from '../test-utils/fake-api';
import { renderWithApi } from '../test-utils/render';
import { HEALTH_REFRESH_MS, HealthPanel } from './HealthPanel';

const report = (overrides: Partial<HealthReport> = {}): HealthReport => ({
  status: 'healthy',
  reasons: [],
  background_tasks: { total_tasks: 4, active_tasks: 1, completed_tasks: 2, failed_tasks: 1, cancelled_tasks: 0, task_types: ['index'] },
  memory: {
    rss_mb: 85.24,
    rss_anon_mb: 40.2,
    rss_file_mb: 45,
    vms_mb: 900,
    percent: 1.25,
    heap_used_mb: 40.1,
    heap_total_mb: 64,
    external_mb: 3,
    threshold_mb: 100,
    alert_mb: 800,
    threads: [{ name: 'main', heap_used_mb: 40.1, heap_total_mb: 64, external_mb: 3 }],
    last_cleanup: null,
  },
  event_loop: { delay_p50_ms: 10, delay_p99_ms: 12.5, utilization: 0.1 },
  database_pool: poolStatus(),
  ...overrides,
});

function task(id: string, status: TaskInfo['status'], error: string | null = null): TaskInfo {
  return { id, type: 'heap_snapshot', status, createdAt: 0, startedAt: 0, finishedAt: 1, progress: null, metadata: {}, error };
}

describe('HealthPanel', () => {
  it('says the status is unknown when the report can no longer be refreshed', async () => {
    let answer = true;
    const api = createFakeApi({ getHealth: () => (answer ? ok(report({ status: 'healthy' })) : fail('internal', 'Failed to fetch')) });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      renderWithApi(<HealthPanel />, api);
      const region = screen.getByRole('region', { name: 'Health' });
      expect(await within(region).findByLabelText('Status: healthy')).toBeInTheDocument();
      answer = false;
      await act(async () => {
        await vi.advanceTimersByTimeAsync(HEALTH_REFRESH_MS + 10);
      });
      expect(await within(region).findByLabelText('Status: unknown')).toBeInTheDocument();
      expect(within(region).queryByLabelText('Status: healthy')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the status as a badge and the key figures', async () => {
    const reason = 'RSS 120 MB stays over MEMORY_THRESHOLD_MB 100 after a cleanup (130 MB → 120 MB); the thread holding most is main (heap 64 MB, external 3 MB)';
    renderWithApi(<HealthPanel />, createFakeApi({ getHealth: () => ok(report({ status: 'degraded', reasons: [reason] })) }));
    const region = screen.getByRole('region', { name: 'Health' });
    const badge = await within(region).findByLabelText('Status: degraded');
    expect(badge).toHaveClass('badge-warning');
    expect(within(region).getByText(reason)).toBeInTheDocument();
    expect(within(region).getByText('85.2 / 100 MB')).toBeInTheDocument();
    expect(within(region).getByText('40.2 / 45.0 MB')).toBeInTheDocument();
    expect(within(region).getByText('40.1 / 64.0 MB')).toBeInTheDocument();
    expect(within(region).getByText('1 / 4')).toBeInTheDocument();
  });

  it('takes a heap snapshot of main and shows the path once the task has written it', async () => {
    const api = createFakeApi({ getHealth: () => ok(report()), takeHeapSnapshot: () => ok({ taskId: 's1', path: '/data/snapshots/main-1.heapsnapshot' }) });
    renderWithApi(<HealthPanel />, api);
    await userEvent.click(screen.getByRole('button', { name: 'Take heap snapshot' }));
    expect(api.calls.takeHeapSnapshot).toHaveBeenCalledWith({ target: 'main' });
    expect(await screen.findByRole('button', { name: 'Writing snapshot…' })).toBeDisabled();
    expect(screen.queryByText('/data/snapshots/main-1.heapsnapshot')).toBeNull();
    act(() => api.emit('task', task('s1', 'completed')));
    expect(await screen.findByText('/data/snapshots/main-1.heapsnapshot')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Take heap snapshot' })).toBeEnabled();
  });

  it('says so when the snapshot task fails, even if its event came before the answer', async () => {
    const api: ReturnType<typeof createFakeApi> = createFakeApi({
      getHealth: () => ok(report()),
      takeHeapSnapshot: () => {
        api.emit('task', task('s2', 'failed', 'ENOSPC: no space left on device'));
        return ok({ taskId: 's2', path: '/data/snapshots/main-2.heapsnapshot' });
      },
    });
    renderWithApi(<HealthPanel />, api);
    await userEvent.click(screen.getByRole('button', { name: 'Take heap snapshot' }));
    expect(await screen.findByText('Heap snapshot failed: ENOSPC: no space left on device')).toBeInTheDocument();
  });

  it('shows a snapshot failure and a failed report', async () => {
    renderWithApi(<HealthPanel />, createFakeApi({ getHealth: () => fail('internal', 'monitor stopped'), takeHeapSnapshot: () => fail('unsupported', 'Heap snapshots is not available yet') }));
    expect(await screen.findByText('monitor stopped')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Take heap snapshot' }));
    expect(await screen.findByText('Heap snapshots is not available yet')).toBeInTheDocument();
  });
});
