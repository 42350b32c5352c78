import { memo, useEffect, useRef, useState } from 'react';
import type { GitbotApi } from '../../shared/contract';
import { ApiProvider } from './api/api-context';
import { HealthPanel } from './components/HealthPanel';
import { IndexingPanel } from './components/IndexingPanel';
import { LogsPanel } from './components/LogsPanel';
import { MemoryPanel } from './components/MemoryPanel';
import { PoolPanel } from './components/PoolPanel';
import { RepositoryPanel } from './components/RepositoryPanel';
import { SettingsPanel } from './components/SettingsPanel';
import { TasksPanel } from './components/TasksPanel';
import { useIndexing, type IndexingRun } from './hooks/use-indexing';
import { useNow } from './hooks/use-now';
import { useRequest } from './hooks/use-request';
import { useLatestSample, useStatsFeed } from './hooks/use-stats';
import type { StatsStore } from './lib/stats-store';
import type { RepositoryInfo } from '../../shared/types';
import { SearchView } from './search/SearchView';
import { repositoryName } from './search/result-groups';

interface AppProps {
  readonly api: GitbotApi;
  readonly store: StatsStore;
}

// Panels whose props do not change with indexing progress: memoised, so a progress event
// re-renders the Indexing panel and the search view, not the whole dashboard.
const StaticHealth = memo(HealthPanel);
const StaticTasks = memo(TasksPanel);
const StaticLogs = memo(LogsPanel);
const StaticSettings = memo(SettingsPanel);
const StaticMemory = memo(MemoryPanel);
const StaticPool = memo(PoolPanel);
// The search view takes the indexed repository's root, not the run: progress does not re-render the results.
const StaticSearch = memo(SearchView);

/** One empty list, so the memoised search view sees the same one while repositories load. */
const noRepositories: readonly RepositoryInfo[] = [];

/** The two views of the window, one keystroke each. */
type View = 'search' | 'dashboard';

/** The window: search as the main view, the monitoring dashboard as the other tab; both fed by one API whatever its transport. */
export function App({ api, store }: AppProps) {
  const appInfo = useRequest(() => api.getAppInfo({}));
  const repositories = useRequest(() => api.listRepositories({}));
  const [indexVersion, setIndexVersion] = useState(0);
  const indexing = useIndexing(api, () => {
    repositories.reload();
    // The index changed: the search on screen runs again.
    setIndexVersion((version) => version + 1);
  });
  const searchRef = useRef<HTMLInputElement>(null);
  const [view, setView] = useState<View>('search');
  useStatsFeed(api, store);

  const { run, cancel } = indexing;
  const running = run !== null && run.done === null;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const command = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
      if (command && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setView('search');
        // After the view is shown: the field exists but may be hidden until then.
        window.requestAnimationFrame(() => {
          searchRef.current?.focus();
          searchRef.current?.select();
        });
      } else if (command && event.key.toLowerCase() === 'j') {
        event.preventDefault();
        setView('dashboard');
      } else if (event.key === 'Escape' && running && !event.defaultPrevented && document.activeElement?.closest('.area-indexing') != null) {
        // Esc cancels indexing only from the Indexing panel itself; elsewhere it belongs to the focused widget.
        void cancel();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [running, cancel]);

  return (
    <ApiProvider api={api} appInfo={appInfo.value}>
      <div className={`app app-${view}`}>
        <TopBar store={store} version={appInfo.value?.version ?? null} connectionError={appInfo.status === 'error' ? appInfo.error.message : null} view={view} onView={setView} run={run} />
        <ConnectionBanner store={store} />
        <main id="view-search" role="tabpanel" aria-labelledby="tab-search" className="view view-search" hidden={view !== 'search'}>
          <StaticSearch inputRef={searchRef} repositories={repositories.value ?? noRepositories} indexingRepo={running ? run.repo : null} indexVersion={indexVersion} />
        </main>
        {view === 'dashboard' && (
          <main id="view-dashboard" role="tabpanel" aria-labelledby="tab-dashboard" className="grid view">
            <RepositoryPanel onIndex={indexing.start} starting={indexing.starting} repositories={repositories} run={run} onRemoved={() => setIndexVersion((version) => version + 1)} />
            <IndexingPanel run={run} onCancel={cancel} />
            <StaticMemory store={store} />
            <StaticHealth />
            <StaticPool store={store} />
            <StaticTasks />
            <StaticLogs />
            <StaticSettings />
          </main>
        )}
      </div>
    </ApiProvider>
  );
}

/** Seconds without a sample after which the dashboard says it is offline. */
const STALE_AFTER_MS = 5000;

function TopBar({
  store,
  version,
  connectionError,
  view,
  onView,
  run,
}: {
  readonly store: StatsStore;
  readonly version: string | null;
  readonly connectionError: string | null;
  readonly view: View;
  readonly onView: (view: View) => void;
  readonly run: IndexingRun | null;
}) {
  const latest = useLatestSample(store);
  const now = useNow(1000);
  const live = latest !== null && now - latest.time < STALE_AFTER_MS;
  const tabs: readonly { readonly view: View; readonly label: string; readonly keys: string }[] = [
    { view: 'search', label: 'Search', keys: 'Ctrl K' },
    { view: 'dashboard', label: 'Dashboard', keys: 'Ctrl J' },
  ];
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          g
        </span>
        <span className="brand-name">Gitbot</span>
        {version !== null && <span className="brand-version num">v{version}</span>}
      </div>
      <div className="tabs" role="tablist" aria-label="Views">
        {tabs.map((tab) => (
          <button
            key={tab.view}
            id={`tab-${tab.view}`}
            type="button"
            role="tab"
            className={`tab ${view === tab.view ? 'tab-active' : ''}`}
            aria-selected={view === tab.view}
            aria-controls={`view-${tab.view}`}
            aria-keyshortcuts={tab.view === 'search' ? 'Control+K Meta+K' : 'Control+J Meta+J'}
            tabIndex={view === tab.view ? 0 : -1}
            onClick={() => onView(tab.view)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
                event.preventDefault();
                const next = tabs[(tabs.findIndex((candidate) => candidate.view === tab.view) + 1) % tabs.length] as (typeof tabs)[number];
                onView(next.view);
                document.getElementById(`tab-${next.view}`)?.focus();
              }
            }}
          >
            {tab.label} <kbd className="shortcut">{tab.keys}</kbd>
          </button>
        ))}
      </div>
      <div className="topbar-right">
        {run !== null && run.done === null && (
          <button type="button" className="indexing-chip" title={run.repo} onClick={() => onView('dashboard')}>
            Indexing {repositoryName(run.repo)}…
          </button>
        )}
        {connectionError !== null && (
          <span className="connection-error" role="alert">
            {connectionError}
          </span>
        )}
        <span className={`live ${live ? 'live-on' : 'live-off'}`} role="status">
          <span className="live-dot" aria-hidden="true" />
          {live ? 'Live' : latest === null ? 'Connecting…' : 'No recent samples'}
        </span>
      </div>
    </header>
  );
}

/** A banner across the window while the core stops answering (no sample for STALE_AFTER_MS); it goes away by itself when samples return. */
function ConnectionBanner({ store }: { readonly store: StatsStore }) {
  const latest = useLatestSample(store);
  const now = useNow(1000);
  if (latest === null || now - latest.time < STALE_AFTER_MS) {
    return null;
  }
  return (
    <div className="banner banner-danger" role="alert">
      <strong>Disconnected — reconnecting…</strong> The core has not answered for {Math.round((now - latest.time) / 1000)} s; what you see is from before. Is <code>gitbot serve</code> (or the app)
      still running?
    </div>
  );
}
