import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogEntry, LogLevel } from '../../../shared/types';
import { useApi } from '../api/api-context';
import { useEvent } from '../hooks/use-event';
import { useRequest } from '../hooks/use-request';
import { formatClock } from '../lib/format';
import { Badge, EmptyState, ErrorState, LoadingState, Panel, type BadgeTone } from './Panel';

/** Log lines kept in the panel; older ones drop off (the file log keeps everything). */
export const MAX_LOG_LINES = 500;
const INITIAL_LOG_LINES = 200;

const levelRank: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };
const levelTone: Readonly<Record<LogLevel, BadgeTone>> = { debug: 'neutral', info: 'info', warn: 'warning', error: 'danger' };

/** Appends entries, keeping at most MAX_LOG_LINES. */
export function appendLogs(current: readonly LogEntry[], added: readonly LogEntry[]): LogEntry[] {
  const merged = [...current, ...added];
  return merged.length > MAX_LOG_LINES ? merged.slice(merged.length - MAX_LOG_LINES) : merged;
}

/** The core's log, live, filtered by minimum level and text. */
export function LogsPanel() {
  const api = useApi();
  const initial = useRequest(() => api.getLogs({ limit: INITIAL_LOG_LINES }));
  const [live, setLive] = useState<readonly LogEntry[]>([]);
  const [minimum, setMinimum] = useState<LogLevel>('debug');
  const [filter, setFilter] = useState('');
  const levelId = useId();
  const listRef = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);

  useEvent('log', (entry) => setLive((current) => appendLogs(current, [entry])));

  const entries = useMemo(() => {
    // The initial page may overlap the live lines received while it loaded.
    const firstLive = live[0]?.time ?? Number.POSITIVE_INFINITY;
    const before = (initial.value ?? []).filter((entry) => entry.time < firstLive);
    const all = appendLogs(before, live);
    const needle = filter.trim().toLowerCase();
    return all.filter((entry) => levelRank[entry.level] >= levelRank[minimum] && (needle === '' || entry.message.toLowerCase().includes(needle) || formatFields(entry).toLowerCase().includes(needle)));
  }, [initial.value, live, minimum, filter]);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list !== null && stickToBottom.current) {
      list.scrollTop = list.scrollHeight;
    }
  }, [entries]);

  useEffect(() => {
    const list = listRef.current;
    if (list === null) {
      return undefined;
    }
    const onScroll = (): void => {
      stickToBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
    };
    list.addEventListener('scroll', onScroll, { passive: true });
    return () => list.removeEventListener('scroll', onScroll);
  });

  let body;
  if (initial.status === 'loading' && initial.value === null && live.length === 0) {
    body = <LoadingState label="Loading logs…" />;
  } else if (initial.status === 'error' && live.length === 0) {
    body = <ErrorState error={initial.error} onRetry={initial.reload} />;
  } else if (entries.length === 0) {
    body = <EmptyState title={filter !== '' || minimum !== 'debug' ? 'No log lines match the filter' : 'No log lines yet'} />;
  } else {
    body = null;
  }

  return (
    <Panel
      title="Logs"
      className="area-logs"
      actions={
        <div className="logs-filters">
          <label htmlFor={levelId} className="visually-hidden">
            Log level
          </label>
          <select id={levelId} className="select select-small" value={minimum} onChange={(event) => setMinimum(event.target.value as LogLevel)}>
            <option value="debug">All levels</option>
            <option value="info">Info and above</option>
            <option value="warn">Warnings and errors</option>
            <option value="error">Errors only</option>
          </select>
          <input className="input input-small" type="text" aria-label="Filter logs" placeholder="Filter…" value={filter} onChange={(event) => setFilter(event.target.value)} />
        </div>
      }
    >
      {body}
      <ol className="log-lines" ref={listRef} role="log" aria-label="Log lines" hidden={body !== null}>
        {entries.map((entry, index) => (
          <li key={`${entry.time}-${index}`} className={`log-line log-${entry.level}`}>
            <time className="num muted" dateTime={new Date(entry.time).toISOString()}>
              {formatClock(entry.time, true)}
            </time>
            <Badge tone={levelTone[entry.level]}>{entry.level}</Badge>
            <span className="log-message">
              {entry.message}
              {entry.fields !== undefined && <span className="log-fields"> {formatFields(entry)}</span>}
            </span>
          </li>
        ))}
      </ol>
    </Panel>
  );
}

function formatFields(entry: LogEntry): string {
  if (entry.fields === undefined) {
    return '';
  }
  return Object.entries(entry.fields)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}
