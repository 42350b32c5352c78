import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { RepositoryInfo, TaskInfo } from '../../../shared/types';
import type { RequestState } from '../hooks/use-request';
import { appInfo, createFakeApi, fail, ok } from '../test-utils/fake-api';
import { renderWithApi } from '../test-utils/render';
import { RepositoryPanel } from './RepositoryPanel';

const ready = (value: readonly RepositoryInfo[]): RequestState<readonly RepositoryInfo[]> & { reload: () => void } => ({ status: 'ready', value, error: null, reload: vi.fn() });

const repository = (root: string, overrides: Partial<RepositoryInfo> = {}): RepositoryInfo => ({
  root,
  lastIndexedAt: Date.now() - 5000,
  files: 12,
  bytes: 2048,
  documents: 12,
  skipped: 0,
  ...overrides,
});

describe('RepositoryPanel guard rails', () => {
  it('expands ~ from the home folder the core reports, wherever the data folder lies', async () => {
    const onIndex = vi.fn(async () => null);
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([])} />, createFakeApi(), appInfo({ homeDir: '/home/me', dataDir: '/srv/gitbot-data' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), '~/src/project{Enter}');
    expect(onIndex).toHaveBeenCalledWith('/home/me/src/project');
  });

  it('refuses a relative path with a sentence, before the core sees it', async () => {
    const onIndex = vi.fn(async () => null);
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([])} />, createFakeApi());
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), 'src/project{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('Type a full path (starting with / or a drive letter): "src/project" would depend on the folder the core was started in.');
    expect(onIndex).not.toHaveBeenCalled();
  });

  it('warns before indexing a system root or the home folder, and indexes only when told to', async () => {
    const onIndex = vi.fn(async () => null);
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([])} />, createFakeApi(), appInfo({ homeDir: '/home/me', dataDir: '/srv/gitbot-data' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), '/{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('/ is a system folder');
    expect(onIndex).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Index anyway' }));
    expect(onIndex).toHaveBeenCalledWith('/');
    await userEvent.clear(screen.getByRole('textbox', { name: 'Repository path' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), '~{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('/home/me is your whole home folder');
  });

  it('counts a new folder first and asks before indexing one over INDEX_WARN_FILES', async () => {
    const onIndex = vi.fn(async () => null);
    const api = createFakeApi({
      countFolderFiles: ({ path }) =>
        ok(
          path === '/src/huge'
            ? { root: path, files: 200_001, limit: 200_000, stoppedBy: 'limit' as const, elapsedMs: 800 }
            : { root: path, files: 12, limit: 200_000, stoppedBy: 'end' as const, elapsedMs: 1 },
        ),
    });
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([])} />, api);
    const field = screen.getByRole('textbox', { name: 'Repository path' });
    await userEvent.type(field, '/src/huge{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('/src/huge holds more than 200,000 files (INDEX_WARN_FILES): indexing it can take a long time and a large database. Index it anyway?');
    expect(onIndex).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Index anyway' }));
    expect(onIndex).toHaveBeenCalledWith('/src/huge');
    expect(api.calls.countFolderFiles).toHaveBeenCalledTimes(1);
    // A small folder goes straight on.
    await userEvent.clear(field);
    await userEvent.type(field, '/src/small{Enter}');
    await waitFor(() => expect(onIndex).toHaveBeenLastCalledWith('/src/small'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says so when the count ran out of time, and shows the count’s refusal as indexing would', async () => {
    const onIndex = vi.fn(async () => null);
    const api = createFakeApi({
      countFolderFiles: ({ path }) =>
        path === '/net/slow' ? ok({ root: path, files: 41_250, limit: 200_000, stoppedBy: 'time' as const, elapsedMs: 3000 }) : fail('not_found', `Folder not found: ${path}`),
    });
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([])} />, api);
    const field = screen.getByRole('textbox', { name: 'Repository path' });
    await userEvent.type(field, '/net/slow{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '/net/slow is large: 41,250 files counted in 3.0 s and the count was not finished. Indexing it can take a long time and a large database. Index it anyway?',
    );
    await userEvent.click(screen.getByRole('button', { name: "Don't index" }));
    await userEvent.clear(field);
    await userEvent.type(field, '/nope{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Folder not found: /nope');
    expect(onIndex).not.toHaveBeenCalled();
  });

  it('re-indexes a listed repository without counting it again', async () => {
    const onIndex = vi.fn(async () => null);
    const api = createFakeApi({ countFolderFiles: ({ path }) => ok({ root: path, files: 300_000, limit: 200_000, stoppedBy: 'limit' as const, elapsedMs: 1 }) });
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([repository('/src/repo')])} />, api);
    await userEvent.click(screen.getByRole('button', { name: 'Re-index /src/repo' }));
    await waitFor(() => expect(onIndex).toHaveBeenCalledWith('/src/repo'));
    expect(api.calls.countFolderFiles).not.toHaveBeenCalled();
  });

  it('says a repository is already being indexed instead of queueing a second run', async () => {
    const onIndex = vi.fn(async () => null);
    const run = { taskId: 't1', repo: '/src/repo', progress: null, done: null };
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([repository('/src/repo')])} run={run} />, createFakeApi());
    await userEvent.click(screen.getByRole('button', { name: 'Re-index /src/repo' }));
    expect(screen.getByRole('alert')).toHaveTextContent('/src/repo is already being indexed: wait for it to finish, or cancel it in Indexing.');
    expect(onIndex).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Remove /src/repo' })).toBeDisabled();
  });

  it('removes a repository after a confirmation, and tells the window', async () => {
    const api = createFakeApi({ removeRepository: () => ok({ removed: true }) });
    const repositories = ready([repository('/src/repo'), repository('/src/other', { lastIndexedAt: null })]);
    const onRemoved = vi.fn();
    renderWithApi(<RepositoryPanel onIndex={vi.fn(async () => null)} starting={false} repositories={repositories} onRemoved={onRemoved} />, api);
    expect(screen.getByText(/not finished \(cancelled or failed\), partial/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Remove /src/repo' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove /src/repo?' });
    expect(api.calls.removeRepository).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove from index' }));
    expect(api.calls.removeRepository).toHaveBeenCalledWith({ repo: '/src/repo' });
    await waitFor(() => expect(onRemoved).toHaveBeenCalledWith('/src/repo'));
    expect(repositories.reload).toHaveBeenCalled();
  });
});

describe('RepositoryPanel', () => {
  it('indexes the typed path', async () => {
    const onIndex = vi.fn(async () => null);
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([])} />, createFakeApi());
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), '/home/me/project');
    await userEvent.click(screen.getByRole('button', { name: 'Index' }));
    expect(onIndex).toHaveBeenCalledWith('/home/me/project');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the error of a bad path next to the field', async () => {
    const onIndex = vi.fn(async () => ({ code: 'not_found' as const, message: 'No such folder: /nope' }));
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([])} />, createFakeApi());
    const field = screen.getByRole('textbox', { name: 'Repository path' });
    await userEvent.type(field, '/nope{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('No such folder: /nope');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription('No such folder: /nope');
  });

  it('asks for a path instead of sending an empty one', async () => {
    const onIndex = vi.fn(async () => null);
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={ready([])} />, createFakeApi());
    await userEvent.click(screen.getByRole('button', { name: 'Index' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the path of a repository folder.');
    expect(onIndex).not.toHaveBeenCalled();
  });

  it('offers the folder dialog only where the runtime has one', async () => {
    const api = createFakeApi({ chooseFolder: () => ok({ path: '/picked/repo' }) });
    const { unmount } = renderWithApi(<RepositoryPanel onIndex={vi.fn()} starting={false} repositories={ready([])} />, api);
    expect(screen.queryByRole('button', { name: 'Choose folder…' })).not.toBeInTheDocument();
    unmount();

    renderWithApi(<RepositoryPanel onIndex={vi.fn()} starting={false} repositories={ready([])} />, api, appInfo({ canChooseFolder: true }));
    await userEvent.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Repository path' })).toHaveValue('/picked/repo'));
  });

  it('lists recent repositories with their last index time and re-indexes one in one click', async () => {
    const onIndex = vi.fn(async () => null);
    const repositories = ready([
      { root: '/src/old', lastIndexedAt: Date.now() - 3 * 3600_000, files: 10, bytes: 2048, documents: 10, skipped: 0 },
      { root: '/src/new', lastIndexedAt: Date.now() - 5 * 60_000, files: 1234, bytes: 5 * 1024 * 1024, documents: 1300, skipped: 2 },
    ]);
    renderWithApi(<RepositoryPanel onIndex={onIndex} starting={false} repositories={repositories} />, createFakeApi());
    const items = within(screen.getByRole('list', { name: 'Recent repositories' })).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining('/src/newindexed 5 min ago · 1,234 files · 5.0 MB · 2 skipped'),
      expect.stringContaining('/src/oldindexed 3 h ago · 10 files · 2.0 KB'),
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Re-index /src/old' }));
    expect(onIndex).toHaveBeenCalledWith('/src/old');
  });

  it('says why a run failed and that a run was cancelled, from the task history and live task updates', async () => {
    const indexedAt = Date.now() - 60_000;
    const run = (id: string, repo: string, status: TaskInfo['status'], error: string | null): TaskInfo => ({
      id,
      type: 'indexing',
      status,
      createdAt: indexedAt + 1000,
      startedAt: indexedAt + 1000,
      finishedAt: indexedAt + 2000,
      progress: null,
      metadata: { repo },
      error,
    });
    const api = createFakeApi({ listTasks: () => ok([run('1', '/src/failed', 'failed', 'The folder /src/failed was deleted while it was being indexed')]) });
    const repositories = ready([
      repository('/src/failed', { lastIndexedAt: null, files: 40 }),
      repository('/src/cancelled', { lastIndexedAt: null, files: 7 }),
      repository('/src/stale', { lastIndexedAt: indexedAt }),
    ]);
    renderWithApi(<RepositoryPanel onIndex={vi.fn()} starting={false} repositories={repositories} />, api);
    const item = (root: string) =>
      within(screen.getByRole('list', { name: 'Recent repositories' }))
        .getByText(root)
        .closest('li') as HTMLElement;
    await waitFor(() => expect(item('/src/failed')).toHaveTextContent('failed, partial · 40 files'));
    expect(item('/src/failed')).toHaveTextContent('Failed: The folder /src/failed was deleted while it was being indexed');
    // Without a run in the history, the list can only say what the index shows.
    expect(item('/src/cancelled')).toHaveTextContent('not finished (cancelled or failed), partial');

    act(() => {
      api.emit('task', run('2', '/src/cancelled', 'cancelled', 'cancelled by request'));
      api.emit('task', run('3', '/src/stale', 'failed', 'disk I/O error'));
    });
    expect(item('/src/cancelled')).toHaveTextContent('cancelled, partial · 7 files');
    expect(item('/src/cancelled')).not.toHaveTextContent('Failed');
    // A run that failed after a complete index: the index is still there, the failure is said.
    expect(item('/src/stale')).toHaveTextContent('indexed 1 min ago, last run failed · 12 files');
    expect(item('/src/stale')).toHaveTextContent('Failed: disk I/O error');
  });

  it('shows empty, loading and error states of the list', () => {
    const api = createFakeApi();
    const { rerender } = renderWithApi(<RepositoryPanel onIndex={vi.fn()} starting={false} repositories={ready([])} />, api);
    expect(screen.getByText('No repositories yet')).toBeInTheDocument();
    rerender(<RepositoryPanel onIndex={vi.fn()} starting={false} repositories={{ status: 'loading', value: null, error: null, reload: vi.fn() }} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading repositories…');
    rerender(
      <RepositoryPanel
        onIndex={vi.fn()}
        starting={false}
        repositories={{ status: 'error', value: null, error: { code: 'unsupported', message: 'The repository list is not available yet' }, reload: vi.fn() }}
      />,
    );
    expect(screen.getByText('The repository list is not available yet')).toBeInTheDocument();
  });
});
