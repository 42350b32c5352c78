import { useEffect, useRef } from 'react';
import type { GitbotApi } from '../../shared/contract';
import { ApiProvider } from './api/api-context';
import { HealthPanel } from './components/HealthPanel';
import { IndexingPanel } from './components/IndexingPanel';
import { LogsPanel } from './components/LogsPanel';
import { MemoryPanel } from './components/MemoryPanel';
import { PoolPanel } from './components/PoolPanel';
import { RepositoryPanel } from './components/RepositoryPanel';
import { SearchPanel } from './components/SearchPanel';
import { SettingsPanel } from './components/SettingsPanel';
import { TasksPanel } from './components/TasksPanel';
import { useIndexing } from './hooks/use-indexing';
import { useNow } from './hooks/use-now';
import { useRequest } from './hooks/use-request';
import { useLatestSample, useStatsFeed } from './hooks/use-stats';
import type { StatsStore } from './lib/stats-store';

interface AppProps {
  readonly api: GitbotApi;
  readonly store: StatsStore;
}

/** The dashboard: every panel on one grid, fed by one API whatever its transport. */
export function App({ api, store }: AppProps) {
  const appInfo = useRequest(() => api.getAppInfo({}));
  const repositories = useRequest(() => api.listRepositories({}));
  const indexing = useIndexing(api, () => repositories.reload());
  const searchRef = useRef<HTMLInputElement>(null);
  useStatsFeed(api, store);

  const { run, cancel } = indexing;
  const running = run !== null && run.done === null;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (event.key === 'Escape' && running && !event.defaultPrevented) {
        void cancel();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [running, cancel]);

  return (
    <ApiProvider api={api} appInfo={appInfo.value}>
      <div className="app">
        <TopBar store={store} version={appInfo.value?.version ?? null} connectionError={appInfo.status === 'error' ? appInfo.error.message : null} />
        <main className="grid">
          <RepositoryPanel onIndex={indexing.start} starting={indexing.starting} repositories={repositories} />
          <IndexingPanel run={run} onCancel={cancel} />
          <MemoryPanel store={store} />
          <HealthPanel />
          <PoolPanel store={store} />
          <SearchPanel inputRef={searchRef} />
          <TasksPanel />
          <LogsPanel />
          <SettingsPanel />
        </main>
      </div>
    </ApiProvider>
  );
}

/** Seconds without a sample after which the dashboard says it is offline. */
const STALE_AFTER_MS = 5000;

function TopBar({ store, version, connectionError }: { readonly store: StatsStore; readonly version: string | null; readonly connectionError: string | null }) {
  const latest = useLatestSample(store);
  const now = useNow(1000);
  const live = latest !== null && now - latest.time < STALE_AFTER_MS;
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          g
        </span>
        <span className="brand-name">Gitbot</span>
        {version !== null && <span className="brand-version num">v{version}</span>}
      </div>
      <div className="topbar-right">
        {connectionError !== null && (
          <span className="connection-error" role="alert">
            {connectionError}
          </span>
        )}
        <span className={`live ${live ? 'live-on' : 'live-off'}`} role="status">
          <span className="live-dot" aria-hidden="true" />
          {live ? 'Live' : latest === null ? 'Connecting…' : 'No recent samples'}
        </span>
        <kbd className="shortcut" title="Focus search">
          Ctrl K
        </kbd>
      </div>
    </header>
  );
}
