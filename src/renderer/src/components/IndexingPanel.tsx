import { useRef, useState } from 'react';
import type { ResultError } from '../../../shared/result';
import type { SkipReason, SkippedFile } from '../../../shared/types';
import { useApi } from '../api/api-context';
import type { IndexingRun } from '../hooks/use-indexing';
import { formatBytes, formatCount, formatDuration } from '../lib/format';
import { createProgressMemory, progressView, runSummary } from '../lib/run-progress';
import { Badge, EmptyState, ErrorState, LoadingState, Panel } from './Panel';

/** Words for the skip reasons of the indexer. */
export const skipReasonLabels: Readonly<Record<SkipReason, string>> = {
  too_large: 'Too large',
  binary: 'Binary',
  unreadable: 'Unreadable',
  symlink: 'Symlink (not followed)',
  special_file: 'FIFO, socket or device',
  too_deep: 'Folder too deep (over 256 levels)',
  changed_while_reading: 'Changed while reading',
};

interface IndexingPanelProps {
  readonly run: IndexingRun | null;
  readonly onCancel: () => Promise<ResultError | null>;
}

/** The live state of the current indexing run, its skipped files, and how to stop it (button or Esc). */
export function IndexingPanel({ run, onCancel }: IndexingPanelProps) {
  const [cancelError, setCancelError] = useState<string | null>(null);
  const memory = useRef(createProgressMemory());
  if (run === null) {
    return (
      <Panel title="Indexing" className="area-indexing">
        <EmptyState title="Nothing is being indexed" hint="Enter a repository path and press Index. Esc cancels a running index." />
      </Panel>
    );
  }

  const { progress, done } = run;
  const running = done === null;
  const filesDone = done !== null ? done.summary.files_indexed + done.summary.files_unchanged : (progress?.filesDone ?? 0);
  const filesTotal = progress?.filesDiscovered ?? 0;
  const bytesDone = done?.summary.bytes_indexed ?? progress?.bytesDone ?? 0;
  const view = progressView(run.taskId, progress, done, Date.now(), memory.current);
  const percent = view.percent;
  const skipped = done?.summary.files_skipped ?? progress?.skipped ?? {};
  const skippedTotal = Object.values(skipped).reduce<number>((sum, count) => sum + (count ?? 0), 0);

  const cancel = async (): Promise<void> => {
    const failure = await onCancel();
    setCancelError(failure?.message ?? null);
  };

  return (
    <Panel
      title="Indexing"
      className="area-indexing"
      meta={<RunStatus run={run} />}
      actions={
        running ? (
          <button type="button" className="button button-danger button-small" onClick={() => void cancel()} aria-keyshortcuts="Escape">
            Cancel indexing
          </button>
        ) : undefined
      }
    >
      <p className="indexing-repo mono" title={run.repo}>
        {run.repo}
      </p>
      {/* No aria-valuenow while the total is unknown: an indeterminate bar, not a made-up figure. */}
      <div
        className={`progress ${running ? 'progress-running' : ''} ${percent === null && running ? 'progress-indeterminate' : ''}`}
        role="progressbar"
        aria-label="Indexing progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={
          percent === null
            ? view.phase === 'done'
              ? 'Stopped'
              : `Scanning: ${formatCount(progress?.filesDiscovered ?? 0)} files found so far`
            : `${percent}% (${formatBytes(bytesDone)} of ${formatBytes(progress?.bytesDiscovered ?? 0)})`
        }
      >
        <div className="progress-fill" style={{ width: `${percent ?? 0}%` }} />
      </div>
      {done !== null && done.status === 'completed' && (
        <p className="run-summary num" role="status">
          {runSummary(done)}
        </p>
      )}
      {done !== null && done.status === 'cancelled' && (
        <p className="run-summary" role="status">
          Cancelled: the {formatCount(filesDone)} files read so far are searchable (a partial index). Index the folder again to finish; unchanged files are not read twice.
        </p>
      )}
      <dl className="figures">
        <Figure
          label="Files"
          value={done !== null ? formatCount(filesDone) : `${formatCount(filesDone)}${filesTotal > 0 ? ` / ${formatCount(filesTotal)}${progress?.walkDone === false ? '+' : ''}` : ''}`}
        />
        <Figure label="Read" value={formatBytes(bytesDone)} />
        <Figure
          label="Speed"
          value={
            done !== null
              ? done.summary.bytes_indexed === 0
                ? 'nothing to read'
                : `${(done.summary.seconds > 0 ? bytesDone / 1048576 / done.summary.seconds : 0).toFixed(1)} MB/s`
              : `${(progress?.mbPerSec ?? 0).toFixed(1)} MB/s`
          }
        />
        <Figure
          label={done !== null ? 'Took' : 'ETA'}
          value={done !== null ? formatDuration(done.summary.seconds) : view.etaSeconds !== null ? formatDuration(view.etaSeconds) : view.phase === 'scanning' ? 'after the scan' : '–'}
        />
      </dl>
      {running && (
        <p className="current-file">
          <span className="muted">
            {view.phase === 'starting' ? 'Starting…' : view.phase === 'scanning' ? `Scanning… ${formatCount(progress?.filesDiscovered ?? 0)} files found,` : phaseLabel(progress?.phase ?? 'indexing')}
          </span>{' '}
          <span className="mono" title={progress?.currentFile ?? undefined}>
            {progress?.currentFile ?? ''}
          </span>
        </p>
      )}
      {done?.error != null && (
        <p className="field-error" role="alert">
          {done.error}
        </p>
      )}
      {cancelError !== null && (
        <p className="field-error" role="alert">
          {cancelError}
        </p>
      )}
      <SkippedFiles repo={run.repo} counts={skipped} total={skippedTotal} final={done !== null} />
    </Panel>
  );
}

function RunStatus({ run }: { readonly run: IndexingRun }) {
  if (run.done === null) {
    return <Badge tone="info">Running</Badge>;
  }
  const tone = run.done.status === 'completed' ? 'success' : run.done.status === 'cancelled' ? 'warning' : 'danger';
  const label = run.done.status === 'completed' ? 'Done' : run.done.status === 'cancelled' ? 'Cancelled' : 'Failed';
  return <Badge tone={tone}>{label}</Badge>;
}

function phaseLabel(phase: 'walking' | 'indexing' | 'finishing'): string {
  return phase === 'walking' ? 'Scanning' : phase === 'indexing' ? 'Indexing' : 'Finishing';
}

function Figure({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

type SkippedState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly files: readonly SkippedFile[]; readonly total: number }
  | { readonly status: 'error'; readonly error: ResultError };

const SKIPPED_PAGE = 200;

/** Skipped counts by reason; opening the list loads the files themselves (when the run has finished). */
function SkippedFiles({ repo, counts, total, final }: { repo: string; counts: Partial<Record<SkipReason, number>>; total: number; final: boolean }) {
  const api = useApi();
  const [state, setState] = useState<SkippedState>({ status: 'idle' });
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  const key = `${repo}|${total}|${final}`;

  const load = async (): Promise<void> => {
    setLoadedFor(key);
    setState({ status: 'loading' });
    const result = await api.listSkippedFiles({ repo, limit: SKIPPED_PAGE });
    setState(result.ok ? { status: 'ready', files: result.value.files, total: result.value.total } : { status: 'error', error: result.error });
  };

  if (total === 0) {
    return <p className="muted skipped-none">No files skipped.</p>;
  }
  const reasons = (Object.entries(counts) as [SkipReason, number | undefined][]).filter(([, count]) => (count ?? 0) > 0);
  return (
    <details
      className="skipped"
      onToggle={(event) => {
        if (event.currentTarget.open && loadedFor !== key) {
          void load();
        }
      }}
    >
      <summary>
        Skipped files <span className="num muted">({formatCount(total)})</span>
      </summary>
      <ul className="skip-reasons" aria-label="Skipped by reason">
        {reasons.map(([reason, count]) => (
          <li key={reason}>
            <span>{skipReasonLabels[reason]}</span>
            <span className="num">{formatCount(count ?? 0)}</span>
          </li>
        ))}
      </ul>
      {state.status === 'loading' && <LoadingState label="Loading skipped files…" />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={() => void load()} />}
      {state.status === 'ready' && (
        <ul className="skipped-files" aria-label="Skipped files">
          {state.files.map((file) => (
            <li key={file.path}>
              <span className="mono">{file.path}</span>
              <span className="muted">
                {skipReasonLabels[file.reason]}
                {file.detail !== null ? ` · ${file.detail}` : ''}
              </span>
            </li>
          ))}
          {state.total > state.files.length && <li className="muted">and {formatCount(state.total - state.files.length)} more</li>}
        </ul>
      )}
    </details>
  );
}
