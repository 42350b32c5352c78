import { useId, useState, type FormEvent } from 'react';
import type { ResultError } from '../../../shared/result';
import type { FolderCount, RepositoryInfo, TaskInfo } from '../../../shared/types';
import { useApi, useAppInfo } from '../api/api-context';
import type { IndexingRun } from '../hooks/use-indexing';
import type { RequestState } from '../hooks/use-request';
import { checkRepositoryPath } from '../lib/repository-path';
import { useLastIndexRuns } from '../hooks/use-last-index-runs';
import { useNow } from '../hooks/use-now';
import { formatAge, formatBytes, formatCount, formatDuration } from '../lib/format';
import { EmptyState, ErrorState, LoadingState, Panel } from './Panel';

interface RepositoryPanelProps {
  /** Starts indexing; resolves to the error to show next to the field, or null. */
  readonly onIndex: (path: string) => Promise<ResultError | null>;
  readonly starting: boolean;
  readonly repositories: RequestState<readonly RepositoryInfo[]> & { reload: () => void };
  /** The run the window follows: a second Index of the same folder says it is already running. */
  readonly run?: IndexingRun | null;
  /** Called after a repository left the index (the search on screen runs again). */
  readonly onRemoved?: (root: string) => void;
}

/** Pick a repository (typed path or, in Electron, the folder dialog) and index it; recent ones below. */
export function RepositoryPanel({ onIndex, starting, repositories, run = null, onRemoved }: RepositoryPanelProps) {
  const api = useApi();
  const appInfo = useAppInfo();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState<{ readonly path: string; readonly message: string } | null>(null);
  const [checking, setChecking] = useState(false);
  const fieldId = useId();
  const errorId = useId();
  const home = appInfo?.homeDir ?? null;

  const index = async (target: string, confirmed = false): Promise<void> => {
    const checked = checkRepositoryPath(target, home);
    setWarning(null);
    if (checked.kind === 'error') {
      setError(checked.message);
      return;
    }
    if (run !== null && run.done === null && run.repo === checked.path) {
      setError(`${checked.path} is already being indexed: wait for it to finish, or cancel it in Indexing.`);
      return;
    }
    if (checked.kind === 'warning' && !confirmed) {
      setError(null);
      setWarning({ path: checked.path, message: checked.message });
      return;
    }
    setError(null);
    if (checked.path !== target.trim()) {
      setPath(checked.path);
    }
    // A folder indexed before was accepted then; a new one is counted first (bounded, in the core).
    const known = repositories.value?.some((repository) => repository.root === checked.path) === true;
    if (!confirmed && !known) {
      setChecking(true);
      const counted = await api.countFolderFiles({ path: checked.path });
      setChecking(false);
      // A core without the count (an older one) indexes as before; any other refusal is the one indexing would give.
      if (!counted.ok && counted.error.code !== 'unsupported') {
        setError(counted.error.message);
        return;
      }
      const message = counted.ok ? largeFolderWarning(counted.value) : null;
      if (message !== null) {
        setWarning({ path: checked.path, message });
        return;
      }
    }
    const failure = await onIndex(checked.path);
    setError(failure?.message ?? null);
  };

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void index(path);
  };

  const chooseFolder = async (): Promise<void> => {
    const result = await api.chooseFolder({});
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    if (result.value.path !== null) {
      setPath(result.value.path);
      setError(null);
    }
  };

  return (
    <Panel title="Repository" className="area-repository">
      <form className="repository-form" onSubmit={submit} noValidate>
        <label htmlFor={fieldId} className="field-label">
          Repository path
        </label>
        <div className="field-row">
          <input
            id={fieldId}
            className={`input input-mono ${error !== null ? 'input-invalid' : ''}`}
            type="text"
            value={path}
            placeholder="/home/you/src/project"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error !== null}
            aria-describedby={error !== null ? errorId : undefined}
            onChange={(event) => setPath(event.target.value)}
          />
          {appInfo?.canChooseFolder === true && (
            <button type="button" className="button" onClick={() => void chooseFolder()}>
              Choose folder…
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={starting || checking}>
            Index
          </button>
        </div>
        {error !== null && (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        )}
        {checking && (
          <p className="muted small" role="status">
            Counting the files of the folder…
          </p>
        )}
        {warning !== null && (
          <div className="notice notice-warning" role="alert">
            <p>{warning.message}</p>
            <div className="notice-actions">
              <button type="button" className="button button-small button-danger" onClick={() => void index(warning.path, true)}>
                Index anyway
              </button>
              <button type="button" className="button button-small" onClick={() => setWarning(null)}>
                Don&apos;t index
              </button>
            </div>
          </div>
        )}
        {appInfo?.canChooseFolder !== true && (
          <p className="muted small">
            Type or paste a full path (<code>~/</code> works). A browser cannot hand a web page the path of a folder you pick, so there is no folder dialog here; the desktop app has one.
          </p>
        )}
      </form>
      <RecentRepositories
        repositories={repositories}
        onReindex={(root) => void index(root)}
        disabled={starting}
        running={run !== null && run.done === null ? run.repo : null}
        onRemoved={(root) => {
          repositories.reload();
          onRemoved?.(root);
        }}
      />
    </Panel>
  );
}

/** The question to ask before indexing a folder this large, or null when it is within INDEX_WARN_FILES. */
export function largeFolderWarning(count: FolderCount): string | null {
  if (count.stoppedBy === 'limit') {
    return `${count.root} holds more than ${formatCount(count.limit)} files (INDEX_WARN_FILES): indexing it can take a long time and a large database. Index it anyway?`;
  }
  if (count.stoppedBy === 'time') {
    return `${count.root} is large: ${formatCount(count.files)} files counted in ${formatDuration(count.elapsedMs / 1000)} and the count was not finished. Indexing it can take a long time and a large database. Index it anyway?`;
  }
  return null;
}

function RecentRepositories({
  repositories,
  onReindex,
  disabled,
  running,
  onRemoved,
}: {
  readonly repositories: RepositoryPanelProps['repositories'];
  readonly onReindex: (root: string) => void;
  readonly disabled: boolean;
  /** The root being indexed right now, which cannot be removed until the run ends. */
  readonly running: string | null;
  readonly onRemoved: (root: string) => void;
}) {
  const api = useApi();
  const now = useNow(10_000);
  const lastRuns = useLastIndexRuns();
  const headingId = useId();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const remove = async (root: string): Promise<void> => {
    setConfirming(null);
    const result = await api.removeRepository({ repo: root });
    if (!result.ok) {
      setRemoveError(result.error.message);
      return;
    }
    setRemoveError(result.value.removed ? null : `${root} was not in the index.`);
    onRemoved(root);
  };
  let body;
  if (repositories.value !== null && repositories.value.length > 0) {
    const sorted = [...repositories.value].sort((a, b) => (b.lastIndexedAt ?? 0) - (a.lastIndexedAt ?? 0));
    body = (
      <ul className="repo-list" aria-labelledby={headingId}>
        {sorted.map((repo) => (
          <li key={repo.root} className="repo-item">
            <div className="repo-main">
              <span className="repo-path mono" title={repo.root}>
                {/* The container truncates on the left (rtl); bdi keeps the path itself left to right. */}
                <bdi>{repo.root}</bdi>
              </span>
              <span className="repo-meta">
                {repositoryState(repo, lastRuns.get(repo.root), now)} · {formatCount(repo.files)} files · {formatBytes(repo.bytes)}
                {repo.skipped > 0 ? ` · ${formatCount(repo.skipped)} skipped` : ''}
              </span>
              <RunFailure repo={repo} lastRun={lastRuns.get(repo.root)} />
            </div>
            <div className="repo-actions">
              <button type="button" className="button button-small" aria-label={`Re-index ${repo.root}`} disabled={disabled} onClick={() => onReindex(repo.root)}>
                Re-index
              </button>
              <button
                type="button"
                className="button button-small"
                aria-label={`Remove ${repo.root}`}
                disabled={running === repo.root}
                title={running === repo.root ? 'Being indexed: cancel the run first' : 'Remove from the index (the files stay on disk)'}
                onClick={() => setConfirming(repo.root)}
              >
                Remove
              </button>
            </div>
            {confirming === repo.root && (
              <div className="notice notice-warning repo-confirm" role="alertdialog" aria-label={`Remove ${repo.root}?`}>
                <p>
                  Remove <bdi className="mono">{repo.root}</bdi> from the index? Its files stay on disk; searches stop finding them.
                </p>
                <div className="notice-actions">
                  <button type="button" className="button button-small button-danger" onClick={() => void remove(repo.root)}>
                    Remove from index
                  </button>
                  <button type="button" className="button button-small" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
    );
  } else if (repositories.status === 'loading') {
    body = <LoadingState label="Loading repositories…" />;
  } else if (repositories.status === 'error') {
    body = <ErrorState error={repositories.error} onRetry={repositories.reload} />;
  } else {
    body = <EmptyState title="No repositories yet" hint="Index a folder and it will appear here." />;
  }
  return (
    <div className="recent">
      <h3 id={headingId} className="subheading">
        Recent repositories
      </h3>
      {removeError !== null && (
        <p className="field-error" role="alert">
          {removeError}
        </p>
      )}
      {body}
    </div>
  );
}

/** A run that ended after the last complete index: it is why the index is partial, or out of date. */
function runSinceIndex(repo: RepositoryInfo, run: TaskInfo | undefined): TaskInfo | null {
  return run !== undefined && run.status !== 'completed' && (run.finishedAt ?? 0) > (repo.lastIndexedAt ?? 0) ? run : null;
}

/** "indexed 5 min ago", "cancelled, partial", "failed, partial", "never indexed"… */
function repositoryState(repo: RepositoryInfo, lastRun: TaskInfo | undefined, now: number): string {
  const run = runSinceIndex(repo, lastRun);
  if (repo.lastIndexedAt !== null) {
    return `indexed ${formatAge(repo.lastIndexedAt, now)}${run === null ? '' : `, last run ${run.status}`}`;
  }
  if (run !== null) return `${run.status}${repo.files > 0 ? ', partial' : ''}`;
  // The task history is the core's memory: after a restart only the partial index tells.
  return repo.files > 0 ? 'not finished (cancelled or failed), partial' : 'never indexed';
}

/** Why the last run failed, when it did after the last complete index. */
function RunFailure({ repo, lastRun }: { readonly repo: RepositoryInfo; readonly lastRun: TaskInfo | undefined }) {
  const run = runSinceIndex(repo, lastRun);
  return run?.status === 'failed' ? <span className="repo-failure">Failed: {run.error ?? 'no reason given'}</span> : null;
}
