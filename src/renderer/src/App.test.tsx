import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { eventNames } from '../../shared/names';
import { App } from './App';
import { StatsStore } from './lib/stats-store';
import { appInfo, createFakeApi, ok, statsSample } from './test-utils/fake-api';

function fullApi() {
  return createFakeApi({
    getAppInfo: () => ok(appInfo()),
    getStatsHistory: () => ok([statsSample(Date.now() - 2000, 70), statsSample(Date.now() - 1000, 71)]),
    listRepositories: () => ok([]),
    listTasks: () => ok([]),
    getLogs: () => ok([]),
    startIndexing: ({ path }) => ok({ taskId: 'run-1', repo: path }),
    cancelIndexing: () => ok({ cancelled: true }),
  });
}

describe('App', () => {
  it('loads the memory history on open, then follows the live stream', async () => {
    const api = fullApi();
    render(<App api={api} store={new StatsStore()} />);
    const memory = screen.getByRole('region', { name: 'Memory' });
    expect(await within(memory).findByText('RSS 71.0 MB')).toBeInTheDocument();
    act(() => api.emit('stats', statsSample(Date.now(), 72.5)));
    expect(within(memory).getByText('RSS 72.5 MB')).toBeInTheDocument();
    expect(api.calls.getStatsHistory).toHaveBeenCalledWith({ seconds: 3600 });
  });

  it('starts indexing from the Repository panel and shows its progress and completion', async () => {
    const api = fullApi();
    render(<App api={api} store={new StatsStore()} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), '/src/repo{Enter}');
    expect(api.calls.startIndexing).toHaveBeenCalledWith({ path: '/src/repo' });
    act(() =>
      api.emit('indexProgress', { taskId: 'run-1', repo: '/src/repo', phase: 'indexing', filesDiscovered: 10, walkDone: true, filesDone: 5, bytesDone: 100, mbPerSec: 1, etaSeconds: 1, currentFile: 'a.ts', skipped: {} }),
    );
    expect(screen.getByRole('progressbar', { name: 'Indexing progress' })).toHaveAttribute('aria-valuenow', '50');
    act(() =>
      api.emit('indexDone', {
        taskId: 'run-1',
        repo: '/src/repo',
        status: 'completed',
        error: null,
        summary: { repo: '/src/repo', files_indexed: 10, files_unchanged: 0, files_removed: 0, files_skipped: {}, bytes_indexed: 200, documents: 10, seconds: 0.5 },
      }),
    );
    expect(screen.getByRole('progressbar', { name: 'Indexing progress' })).toHaveAttribute('aria-valuenow', '100');
    // The recent list is refreshed when a run ends.
    await waitFor(() => expect(api.calls.listRepositories).toHaveBeenCalledTimes(2));
  });

  it('cancels the running index with Esc', async () => {
    const api = fullApi();
    render(<App api={api} store={new StatsStore()} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), '/src/repo{Enter}');
    await screen.findByRole('button', { name: 'Cancel indexing' });
    await userEvent.keyboard('{Escape}');
    expect(api.calls.cancelIndexing).toHaveBeenCalledWith({ taskId: 'run-1' });
  });

  it('focuses the search box with Ctrl+K and Cmd+K', async () => {
    render(<App api={fullApi()} store={new StatsStore()} />);
    await userEvent.keyboard('{Control>}k{/Control}');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveFocus();
    screen.getByRole('textbox', { name: 'Repository path' }).focus();
    await userEvent.keyboard('{Meta>}k{/Meta}');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveFocus();
  });

  it('leaves no subscription behind when it unmounts', async () => {
    const api = fullApi();
    const { unmount } = render(<App api={api} store={new StatsStore()} />);
    await screen.findByText(/RSS /);
    expect(eventNames.reduce((sum, name) => sum + api.listenerCount(name), 0)).toBeGreaterThan(0);
    unmount();
    expect(eventNames.map((name) => api.listenerCount(name))).toEqual(eventNames.map(() => 0));
  });
});
