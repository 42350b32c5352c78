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
