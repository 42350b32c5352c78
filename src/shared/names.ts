/**
 * Request and event names, free of any schema library so the sandboxed preload and the
 * browser client can build their proxies without bundling validation code.
 */
export const requestNames = [
  'getHealth',
  'getConfig',
  'getAppInfo',
  'getStatsHistory',
  'getLogs',
  'countFolderFiles',
  'startIndexing',
  'cancelIndexing',
  'removeRepository',
  'listRepositories',
  'listSkippedFiles',
  'search',
  'countMatches',
  'getPoolStatus',
  'listTasks',
  'cancelTask',
  'takeHeapSnapshot',
  'takeHeapProfile',
  'chooseFolder',
  'openInEditor',
  'readLines',
] as const;

export type RequestName = (typeof requestNames)[number];

export const eventNames = ['stats', 'indexProgress', 'indexDone', 'task', 'log', 'alert'] as const;

/** Electron IPC channel names: one per request, one for all events. */
export const requestChannel = (name: RequestName): string => `gitbot:${name}`;
export const eventChannel = 'gitbot:event';

export function isRequestName(name: string): name is RequestName {
  return (requestNames as readonly string[]).includes(name);
}
