import { act, render, screen, waitFor, within } from '@testing-library/react';
import { nextFrame } from './test-utils/render';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
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

/** The dashboard is the second tab; the window opens on search. */
async function openDashboard(): Promise<void> {
  await userEvent.click(screen.getByRole('tab', { name: /Dashboard/ }));
}

const progress = {
  taskId: 'run-1',
  repo: '/src/repo',
  phase: 'indexing',
  filesDiscovered: 10,
  walkDone: true,
  filesDone: 5,
  bytesDone: 100,
  mbPerSec: 1,
  etaSeconds: 1,
  currentFile: 'a.ts',
  skipped: {},
} as const;
const done = {
  taskId: 'run-1',
  repo: '/src/repo',
  status: 'completed',
  error: null,
  summary: { repo: '/src/repo', files_indexed: 10, files_unchanged: 0, files_removed: 0, files_skipped: {}, bytes_indexed: 200, documents: 10, seconds: 0.5 },
} as const;

describe('App', () => {
  it('opens on the search view, and Ctrl+J / Ctrl+K switch between search and the dashboard', async () => {
    render(<App api={fullApi()} store={new StatsStore()} />);
    expect(screen.getByRole('tab', { name: /Search/ })).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByRole('region', { name: 'Memory' })).toBeNull();
    await userEvent.keyboard('{Control>}j{/Control}');
    expect(screen.getByRole('tab', { name: /Dashboard/ })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('region', { name: 'Memory' })).toBeInTheDocument();
    await userEvent.keyboard('{Control>}k{/Control}');
    await waitFor(() => expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveFocus());
  });

  it('Esc in the search box clears it and never cancels a running index', async () => {
    const api = fullApi();
    render(<App api={api} store={new StatsStore()} />);
    act(() => api.emit('indexProgress', progress));
    const box = screen.getByRole('searchbox', { name: 'Search' });
    await userEvent.type(box, 'needle');
    await userEvent.keyboard('{Escape}');
    expect(box).toHaveValue('');
    expect(api.calls.cancelIndexing).not.toHaveBeenCalled();
  });

  it('runs the search on screen again when indexing ends, and says the index is being built meanwhile', async () => {
    let hits = 0;
    const api = createFakeApi({
      getAppInfo: () => ok(appInfo()),
      getStatsHistory: () => ok([]),
      listRepositories: () => ok([]),
      search: () =>
        ok({
          matches: Array.from({ length: hits }, (_, index) => ({ path: `f${index}.ts`, repo: '/src/repo', line: 1, text: 'needle', ranges: [[0, 6]] as [number, number][] })),
          total: { matches: hits, files: hits, exact: true },
          elapsedMs: 1,
        }),
    });
    render(<App api={api} store={new StatsStore()} />);
    act(() => api.emit('indexProgress', progress));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');
    expect(await screen.findByText('No matches for “needle”')).toBeInTheDocument();
    expect(screen.getByText(/The index of repo is still being built/)).toBeInTheDocument();
    hits = 2;
    act(() => api.emit('indexDone', done));
    expect(await screen.findByText('2 matches in 2 files · 1 ms')).toBeInTheDocument();
    expect(screen.queryByText(/still being built/)).toBeNull();
  });

  it('shows a disconnected banner when samples stop, and drops it when they return', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const api = fullApi();
      render(<App api={api} store={new StatsStore()} />);
      act(() => api.emit('stats', statsSample(Date.now(), 70)));
      await nextFrame();
      expect(screen.queryByText(/Disconnected — reconnecting/)).toBeNull();
      await act(async () => {
        await vi.advanceTimersByTimeAsync(7000);
      });
      expect(screen.getByRole('alert')).toHaveTextContent('Disconnected — reconnecting…');
      act(() => api.emit('stats', statsSample(Date.now(), 70)));
      await nextFrame();
      expect(screen.queryByText(/Disconnected — reconnecting/)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('loads the memory history on open, then follows the live stream', async () => {
    const api = fullApi();
    render(<App api={api} store={new StatsStore()} />);
    await openDashboard();
    const memory = screen.getByRole('region', { name: 'Memory' });
    expect(await within(memory).findByText('RSS 71.0 MB')).toBeInTheDocument();
    act(() => api.emit('stats', statsSample(Date.now(), 72.5)));
    await nextFrame();
    expect(within(memory).getByText('RSS 72.5 MB')).toBeInTheDocument();
    expect(api.calls.getStatsHistory).toHaveBeenCalledWith({ seconds: 3600 });
  });

  it('draws a burst of progress events once per frame, with the newest figures', async () => {
    const api = fullApi();
    render(<App api={api} store={new StatsStore()} />);
    await openDashboard();
    act(() => {
      for (let filesDone = 1; filesDone <= 40; filesDone += 1) {
        api.emit('indexProgress', {
          taskId: 'run-1',
          repo: '/src/repo',
          phase: 'indexing',
          filesDiscovered: 40,
          walkDone: true,
          filesDone,
          bytesDone: filesDone * 10,
          mbPerSec: 1,
          etaSeconds: 1,
          currentFile: 'a.ts',
          skipped: {},
        });
      }
    });
    // Nothing drawn until the frame: then the 40th event only.
    expect(screen.queryByRole('progressbar', { name: 'Indexing progress' })).toBeNull();
    await nextFrame();
    expect(screen.getByRole('progressbar', { name: 'Indexing progress' })).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Indexing' })).getByText('40 / 40')).toBeInTheDocument();
  });

  it('starts indexing from the Repository panel and shows its progress and completion', async () => {
    const api = fullApi();
    render(<App api={api} store={new StatsStore()} />);
    await openDashboard();
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), '/src/repo{Enter}');
    expect(api.calls.startIndexing).toHaveBeenCalledWith({ path: '/src/repo' });
    act(() => api.emit('indexProgress', progress));
    await nextFrame();
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

  it('cancels the running index with Esc from the Indexing panel', async () => {
    const api = fullApi();
    render(<App api={api} store={new StatsStore()} />);
    await openDashboard();
    await userEvent.type(screen.getByRole('textbox', { name: 'Repository path' }), '/src/repo{Enter}');
    const cancel = await screen.findByRole('button', { name: 'Cancel indexing' });
    await userEvent.keyboard('{Escape}');
    expect(api.calls.cancelIndexing).not.toHaveBeenCalled();
    cancel.focus();
    await userEvent.keyboard('{Escape}');
    expect(api.calls.cancelIndexing).toHaveBeenCalledWith({ taskId: 'run-1' });
  });

  it('focuses the search box with Ctrl+K and Cmd+K, from the dashboard too', async () => {
    render(<App api={fullApi()} store={new StatsStore()} />);
    await userEvent.keyboard('{Control>}k{/Control}');
    await waitFor(() => expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveFocus());
    await openDashboard();
    screen.getByRole('textbox', { name: 'Repository path' }).focus();
    await userEvent.keyboard('{Meta>}k{/Meta}');
    await waitFor(() => expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveFocus());
  });

  it('leaves no subscription behind when it unmounts', async () => {
    const api = fullApi();
    const { unmount } = render(<App api={api} store={new StatsStore()} />);
    await openDashboard();
    await screen.findByText(/^RSS \d/);
    expect(eventNames.reduce((sum, name) => sum + api.listenerCount(name), 0)).toBeGreaterThan(0);
    unmount();
    expect(eventNames.map((name) => api.listenerCount(name))).toEqual(eventNames.map(() => 0));
  });
});
