import { useEffect, useState } from 'react';
import type { TaskInfo, TaskStatus } from '../../../shared/types';
import { useApi } from '../api/api-context';
import { useEvent } from '../hooks/use-event';
import { useNow } from '../hooks/use-now';
import { useRequest } from '../hooks/use-request';
import { formatAge, formatPercent } from '../lib/format';
import { frameThrottle } from '../lib/frame-throttle';
import { repositoryName } from '../search/result-groups';
import { Badge, EmptyState, ErrorState, LoadingState, Panel, type BadgeTone } from './Panel';

/** Finished tasks beyond this many are dropped from the table (the core keeps its own history). */
const MAX_TASKS = 100;

const statusTone: Readonly<Record<TaskStatus, BadgeTone>> = {
  pending: 'neutral',
  running: 'info',
  completed: 'success',
  failed: 'danger',
  cancelled: 'warning',
};

const isActive = (task: TaskInfo): boolean => task.status === 'pending' || task.status === 'running';

/** The repository a task works on (indexing and removal tasks carry it as metadata.repo), or null. */
export function taskRepository(task: TaskInfo): string | null {
  const repo = task.metadata['repo'];
  return typeof repo === 'string' && repo !== '' ? repo : null;
}

/** Merges a task update into the list, newest first, active before finished, bounded. */
export function mergeTask(tasks: readonly TaskInfo[], update: TaskInfo): TaskInfo[] {
  const merged = [update, ...tasks.filter((task) => task.id !== update.id)];
  merged.sort((a, b) => Number(isActive(b)) - Number(isActive(a)) || b.createdAt - a.createdAt);
  return merged.slice(0, MAX_TASKS);
}

/** Every background task of the core, live, with a Cancel button on each active one. */
export function TasksPanel() {
  const api = useApi();
  const initial = useRequest(() => api.listTasks({}));
  const [tasks, setTasks] = useState<readonly TaskInfo[] | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const now = useNow(1000);

  useEffect(() => {
    if (initial.status === 'ready') {
      // Live updates that arrived before the list are newer, so they are merged last.
      const listed = initial.value.reduce<TaskInfo[]>((list, task) => mergeTask(list, task), []);
      setTasks((current) => (current ?? []).reduce<TaskInfo[]>((list, task) => mergeTask(list, task), listed));
    }
  }, [initial.status, initial.value]);

  // Task updates (one per progress step of each task) are merged once per frame, newest of each task.
  const [pending] = useState(() => new Map<string, TaskInfo>());
  const [throttle] = useState(() =>
    frameThrottle(() => {
      const updates = [...pending.values()];
      pending.clear();
      setTasks((current) => updates.reduce<TaskInfo[]>((list, task) => mergeTask(list, task), [...(current ?? [])]));
    }),
  );
  useEffect(() => () => throttle.cancel(), [throttle]);
  useEvent('task', (task) => {
    pending.set(task.id, task);
    throttle.schedule();
  });

  const cancel = async (task: TaskInfo): Promise<void> => {
    const result = await api.cancelTask({ taskId: task.id });
    setCancelError(result.ok ? (result.value.cancelled ? null : `Task ${task.type} had already finished`) : result.error.message);
  };

  const activeCount = tasks?.filter(isActive).length ?? 0;
  let body;
  if (tasks !== null && tasks.length > 0) {
    body = (
      <div className="table-scroll">
        <table className="table table-tasks" aria-label="Background tasks">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Age
              </th>
              <th scope="col">Progress</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => {
              const repo = taskRepository(task);
              const label = repo === null ? `${task.type} task` : `${task.type} of ${repositoryName(repo)}`;
              return (
                <tr key={task.id}>
                  <td className="cell-task">
                    <span className="task-type">{task.type}</span>
                    {repo !== null && (
                      <span className="task-repo" title={repo}>
                        {repositoryName(repo)}
                      </span>
                    )}
                    {task.error !== null && <span className="task-error">{task.error}</span>}
                  </td>
                  <td>
                    <Badge tone={statusTone[task.status]}>{task.status}</Badge>
                  </td>
                  <td className="num muted">{formatAge(task.createdAt, now)}</td>
                  <td>
                    <TaskProgress task={task} />
                  </td>
                  <td className="cell-action">
                    {isActive(task) && (
                      <button type="button" className="button button-small" aria-label={`Cancel ${label}`} onClick={() => void cancel(task)}>
                        Cancel
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  } else if (initial.status === 'error' && tasks === null) {
    body = <ErrorState error={initial.error} onRetry={initial.reload} />;
  } else if (tasks === null) {
    body = <LoadingState label="Loading tasks…" />;
  } else {
    body = <EmptyState title="No background tasks" hint="Indexing, cleanup and heap snapshots appear here while they run." />;
  }

  return (
    <Panel title="Background tasks" className="area-tasks" meta={tasks !== null ? `${activeCount} active` : undefined}>
      {cancelError !== null && (
        <p className="field-error" role="alert">
          {cancelError}
        </p>
      )}
      {body}
    </Panel>
  );
}

function TaskProgress({ task }: { readonly task: TaskInfo }) {
  if (task.progress === null) {
    return <span className="muted">{isActive(task) ? '…' : '–'}</span>;
  }
  return (
    <span className="mini-progress">
      <span className="mini-progress-track" aria-hidden="true">
        <span className="mini-progress-fill" style={{ width: `${Math.round(task.progress * 100)}%` }} />
      </span>
      <span className="num">{formatPercent(task.progress)}</span>
    </span>
  );
}
