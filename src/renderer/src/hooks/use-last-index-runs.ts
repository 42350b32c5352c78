import { useState } from 'react';
import type { TaskInfo } from '../../../shared/types';
import { useApi } from '../api/api-context';
import { taskRepository } from '../components/TasksPanel';
import { useEvent } from './use-event';
import { useRequest } from './use-request';

const isFinishedRun = (task: TaskInfo): boolean => task.type === 'indexing' && (task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled');

/** Keeps, per repository, the run that finished last. */
function withRun(runs: ReadonlyMap<string, TaskInfo>, task: TaskInfo): ReadonlyMap<string, TaskInfo> {
  const repo = taskRepository(task);
  if (repo === null || !isFinishedRun(task) || (runs.get(repo)?.finishedAt ?? 0) > (task.finishedAt ?? 0)) return runs;
  return new Map(runs).set(repo, task);
}

/**
 * The last finished indexing run of each repository, with its status and error, read from the
 * core's task history (the one record of why a run failed; it lives until the core restarts).
 * Task updates stream per progress step: only finished runs change the map.
 */
export function useLastIndexRuns(): ReadonlyMap<string, TaskInfo> {
  const api = useApi();
  const listed = useRequest(() => api.listTasks({}));
  const [updates, setUpdates] = useState<ReadonlyMap<string, TaskInfo>>(new Map());
  useEvent('task', (task) => {
    if (isFinishedRun(task)) setUpdates((runs) => withRun(runs, task));
  });
  return [...updates.values()].reduce(withRun, (listed.value ?? []).reduce<ReadonlyMap<string, TaskInfo>>(withRun, new Map()));
}
