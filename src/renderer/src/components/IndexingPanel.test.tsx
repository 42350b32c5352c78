import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { IndexDone, IndexProgress } from '../../../shared/types';
import type { IndexingRun } from '../hooks/use-indexing';
import { createFakeApi, ok } from '../test-utils/fake-api';
import { renderWithApi } from '../test-utils/render';
import { IndexingPanel } from './IndexingPanel';

const progress = (overrides: Partial<IndexProgress> = {}): IndexProgress => ({
  taskId: 't1',
  repo: '/src/repo',
  phase: 'indexing',
  filesDiscovered: 200,
  walkDone: true,
  filesDone: 50,
  bytesDone: 3 * 1024 * 1024,
  mbPerSec: 21.5,
  etaSeconds: 12,
  currentFile: 'src/deep/file.ts',
  skipped: { binary: 2, too_large: 1 },
  ...overrides,
});

const done: IndexDone = {
  taskId: 't1',
  repo: '/src/repo',
  status: 'completed',
  error: null,
  summary: { repo: '/src/repo', files_indexed: 197, files_unchanged: 0, files_removed: 0, files_skipped: { binary: 2, too_large: 1 }, bytes_indexed: 10 * 1024 * 1024, documents: 240, seconds: 2 },
};

const run = (overrides: Partial<IndexingRun> = {}): IndexingRun => ({ taskId: 't1', repo: '/src/repo', progress: progress(), done: null, ...overrides });

describe('IndexingPanel', () => {
  it('says Scanning with no percentage until the walk has ended, then a byte percentage that never goes back', () => {
    const api = createFakeApi();
    const view = renderWithApi(
      <IndexingPanel run={run({ progress: progress({ walkDone: false, phase: 'walking', filesDiscovered: 900, bytesDiscovered: 50 * 1024 * 1024 }) })} onCancel={vi.fn()} />,
      api,
    );
    const bar = screen.getByRole('progressbar', { name: 'Indexing progress' });
    expect(bar).not.toHaveAttribute('aria-valuenow');
    expect(bar).toHaveAttribute('aria-valuetext', 'Scanning: 900 files found so far');
    expect(screen.getByText('Scanning… 900 files found,')).toBeInTheDocument();
    expect(screen.getByText('after the scan')).toBeInTheDocument();
    // Walk done: 3 MiB of 12 MiB is 25%, whatever the file counts say.
    view.rerender(<IndexingPanel run={run({ progress: progress({ filesDone: 190, filesDiscovered: 200, bytesDone: 3 * 1024 * 1024, bytesDiscovered: 12 * 1024 * 1024 }) })} onCancel={vi.fn()} />);
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    // A later event with a lower fraction (more bytes found) does not move the bar back.
    view.rerender(<IndexingPanel run={run({ progress: progress({ bytesDone: 3.2 * 1024 * 1024, bytesDiscovered: 20 * 1024 * 1024 }) })} onCancel={vi.fn()} />);
    expect(bar).toHaveAttribute('aria-valuenow', '25');
  });

  it('sums up a finished re-index in words instead of 0 / N under a full bar', () => {
    const unchanged: IndexDone = { ...done, summary: { ...done.summary, files_indexed: 3, files_unchanged: 13_410, files_removed: 1, bytes_indexed: 2048, seconds: 2.1 } };
    renderWithApi(<IndexingPanel run={run({ done: unchanged })} onCancel={vi.fn()} />, createFakeApi());
    expect(screen.getByText('13,410 unchanged · 3 changed · 1 removed · 2.1 s')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Indexing progress' })).toHaveAttribute('aria-valuenow', '100');
  });

  it('says what a cancelled run left behind', () => {
    renderWithApi(<IndexingPanel run={run({ done: { ...done, status: 'cancelled' } })} onCancel={vi.fn()} />, createFakeApi());
    expect(screen.getByText(/Cancelled: the 197 files read so far are searchable \(a partial index\)/)).toBeInTheDocument();
  });

  it('has an empty state before any run', () => {
    renderWithApi(<IndexingPanel run={null} onCancel={vi.fn()} />, createFakeApi());
    expect(screen.getByText('Nothing is being indexed')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('shows progress, figures, the current file and skipped counts while running', () => {
    renderWithApi(<IndexingPanel run={run()} onCancel={vi.fn()} />, createFakeApi());
    const bar = screen.getByRole('progressbar', { name: 'Indexing progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(screen.getByText('50 / 200')).toBeInTheDocument();
    expect(screen.getByText('3.0 MB')).toBeInTheDocument();
    expect(screen.getByText('21.5 MB/s')).toBeInTheDocument();
    expect(screen.getByText('12 s')).toBeInTheDocument();
    expect(screen.getByText('src/deep/file.ts')).toBeInTheDocument();
    expect(screen.getByText('Skipped files')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel indexing' })).toBeInTheDocument();
  });

  it('cancels with the button and shows a cancel failure', async () => {
    const onCancel = vi.fn(async () => ({ code: 'internal' as const, message: 'core went away' }));
    renderWithApi(<IndexingPanel run={run()} onCancel={onCancel} />, createFakeApi());
    await userEvent.click(screen.getByRole('button', { name: 'Cancel indexing' }));
    expect(onCancel).toHaveBeenCalledOnce();
    expect(await screen.findByRole('alert')).toHaveTextContent('core went away');
  });

  it('when done shows 100%, the summary, no cancel button, and lists skipped files on demand', async () => {
    const api = createFakeApi({
      listSkippedFiles: () =>
        ok({
          files: [
            { path: 'assets/logo.png', reason: 'binary', detail: null },
            { path: 'data/huge.json', reason: 'too_large', detail: '2.0 MB' },
          ],
          total: 3,
        }),
    });
    renderWithApi(<IndexingPanel run={run({ done })} onCancel={vi.fn()} />, api);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByText('Done')).toBeInTheDocument();
    expect(screen.getByText('5.0 MB/s')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel indexing' })).not.toBeInTheDocument();

    await userEvent.click(screen.getByText('Skipped files'));
    const reasons = within(screen.getByRole('list', { name: 'Skipped by reason' })).getAllByRole('listitem');
    expect(reasons.map((item) => item.textContent)).toEqual(['Binary2', 'Too large1']);
    const files = within(await screen.findByRole('list', { name: 'Skipped files' })).getAllByRole('listitem');
    expect(files.map((item) => item.textContent)).toEqual(['assets/logo.pngBinary', 'data/huge.jsonToo large · 2.0 MB', 'and 1 more']);
    expect(api.calls.listSkippedFiles).toHaveBeenCalledWith({ repo: '/src/repo', limit: 200 });
  });

  it('shows why a run failed', () => {
    renderWithApi(<IndexingPanel run={run({ done: { ...done, status: 'failed', error: 'disk full' } })} onCancel={vi.fn()} />, createFakeApi());
    expect(screen.getByText('Failed')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('disk full');
  });
});
