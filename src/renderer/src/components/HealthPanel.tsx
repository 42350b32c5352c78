import { useEffect, useRef, useState } from 'react';
import type { HealthStatus } from '../../../shared/health';
import type { ResultError } from '../../../shared/result';
import type { TaskInfo } from '../../../shared/types';
import { useApi } from '../api/api-context';
import { useEvent } from '../hooks/use-event';
import { useRequest } from '../hooks/use-request';
import { formatCount, formatMilliseconds } from '../lib/format';
import { Badge, ErrorState, LoadingState, Panel, type BadgeTone } from './Panel';

/** How often the health report is refreshed. */
export const HEALTH_REFRESH_MS = 5000;

const statusTone: Readonly<Record<HealthStatus, BadgeTone>> = { healthy: 'success', degraded: 'warning', unhealthy: 'danger' };

type SnapshotState =
  | { readonly status: 'idle' }
  | { readonly status: 'busy'; readonly taskId?: string; readonly path?: string }
  | { readonly status: 'done'; readonly path: string }
  | { readonly status: 'error'; readonly error: ResultError };

/** The health report with its status badge, and a heap snapshot on demand. */
export function HealthPanel() {
  const api = useApi();
  const health = useRequest(() => api.getHealth({}));
  const [snapshot, setSnapshot] = useState<SnapshotState>({ status: 'idle' });
  const { reload } = health;

  useEffect(() => {
    const timer = window.setInterval(reload, HEALTH_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);

  // Task events can overtake the request's answer: remember the latest finished ones.
  const finishedTasks = useRef(new Map<string, TaskInfo>());

  const settle = (task: TaskInfo, path: string): SnapshotState | undefined => {
    if (task.status === 'completed') return { status: 'done', path };
    if (task.status === 'failed' || task.status === 'cancelled') {
      return { status: 'error', error: { code: 'internal', message: `Heap snapshot ${task.status}: ${task.error ?? 'no reason given'}` } };
    }
    return undefined;
  };

  const takeSnapshot = async (): Promise<void> => {
    setSnapshot({ status: 'busy' });
    const result = await api.takeHeapSnapshot({ target: 'main' });
    if (!result.ok) {
      setSnapshot({ status: 'error', error: result.error });
      return;
    }
    // The snapshot is written by a background task: the path is only real once it completes.
    const { taskId, path } = result.value;
    const finished = finishedTasks.current.get(taskId);
    setSnapshot((finished && settle(finished, path)) ?? { status: 'busy', taskId, path });
  };

  useEvent('task', (task) => {
    if (task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled') {
      const finished = finishedTasks.current;
      finished.set(task.id, task);
      if (finished.size > 50) finished.delete(finished.keys().next().value as string);
    }
    setSnapshot((current) => (current.status === 'busy' && current.taskId === task.id && current.path !== undefined ? (settle(task, current.path) ?? current) : current));
  });

  const report = health.value;
  // A report that can no longer be refreshed says nothing about now: the core may be gone.
  const badge =
    health.status === 'error' ? (
      <Badge tone="neutral" label="Status: unknown">
        unknown
      </Badge>
    ) : report !== null ? (
      <Badge tone={statusTone[report.status]} label={`Status: ${report.status}`}>
        {report.status}
      </Badge>
    ) : undefined;

  return (
    <Panel
      title="Health"
      className="area-health"
      meta={badge}
      actions={
        <button type="button" className="button button-small" disabled={snapshot.status === 'busy'} onClick={() => void takeSnapshot()}>
          {snapshot.status === 'busy' ? 'Writing snapshot…' : 'Take heap snapshot'}
        </button>
      }
    >
      {report === null ? (
        health.status === 'error' ? (
          <ErrorState error={health.error} onRetry={reload} />
        ) : (
          <LoadingState label="Loading health report…" />
        )
      ) : (
        <>
          {report.reasons.length > 0 && (
            <ul className="reasons">
              {report.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          )}
          <dl className="facts">
            <div>
              <dt>RSS / threshold</dt>
              <dd className="num">
                {report.memory.rss_mb.toFixed(1)} / {report.memory.threshold_mb} MB
              </dd>
            </div>
            <div>
              <dt>RSS anonymous / file-backed</dt>
              <dd className="num">
                {report.memory.rss_anon_mb?.toFixed(1) ?? '–'} / {report.memory.rss_file_mb?.toFixed(1) ?? '–'} MB
              </dd>
            </div>
            <div>
              <dt>Main heap used / total</dt>
              <dd className="num">
                {report.memory.heap_used_mb.toFixed(1)} / {report.memory.heap_total_mb.toFixed(1)} MB
              </dd>
            </div>
            <div>
              <dt>System memory</dt>
              <dd className="num">{report.memory.percent.toFixed(1)}%</dd>
            </div>
            <div>
              <dt>Event loop p99</dt>
              <dd className="num">{formatMilliseconds(report.event_loop.delay_p99_ms)}</dd>
            </div>
            <div>
              <dt>Tasks active / total</dt>
              <dd className="num">
                {formatCount(report.background_tasks.active_tasks)} / {formatCount(report.background_tasks.total_tasks)}
              </dd>
            </div>
            <div>
              <dt>Failed / cancelled</dt>
              <dd className="num">
                {formatCount(report.background_tasks.failed_tasks)} / {formatCount(report.background_tasks.cancelled_tasks)}
              </dd>
            </div>
          </dl>
          {health.status === 'error' && <p className="muted small">Refresh failed: {health.error.message}</p>}
        </>
      )}
      {snapshot.status === 'done' && (
        <p className="snapshot-path" role="status">
          Heap snapshot written to <span className="mono">{snapshot.path}</span>
        </p>
      )}
      {snapshot.status === 'error' && (
        <p className="field-error" role="alert">
          {snapshot.error.message}
        </p>
      )}
    </Panel>
  );
}
