import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { FileLine, SearchMatch } from '../../../shared/types';
import { highlightSegments } from '../lib/highlight';
import { fileKey, matchKey, repositoryName, visibleRows, type FileGroup, type ResultRow } from './result-groups';

interface ResultsTreeProps {
  readonly groups: readonly FileGroup[];
  readonly collapsed: ReadonlySet<string>;
  readonly onToggle: (key: string, collapse: boolean) => void;
  /** The row that takes focus (roving tabindex): a file key or a match key. */
  readonly activeKey: string | null;
  readonly onActivate: (key: string) => void;
  /** Enter on a match (open in the editor, or show the preview). */
  readonly onEnter: (match: SearchMatch) => void;
  /** Esc: focus goes back to the query box. */
  readonly onLeave: () => void;
  /** Called when the keyboard reaches the last rows, to load the next page. */
  readonly onNearEnd: () => void;
  readonly context: number;
  readonly contextLines: ReadonlyMap<string, ReadonlyMap<number, FileLine>>;
  readonly hasMore: boolean;
}

/**
 * Results as a tree: one header per file (repository, path, count), its matches below. The
 * arrow keys move between rows, left and right collapse and expand, Alt+arrows jump files.
 */
export function ResultsTree({ groups, collapsed, onToggle, activeKey, onActivate, onEnter, onLeave, onNearEnd, context, contextLines, hasMore }: ResultsTreeProps) {
  const rows = useMemo(() => visibleRows(groups, collapsed), [groups, collapsed]);
  const elements = useRef(new Map<string, HTMLElement>());
  const focusNext = useRef(false);
  const activeIndex = Math.max(
    0,
    rows.findIndex((row) => row.key === activeKey),
  );
  const focusKey = rows[activeIndex]?.key ?? null;

  useEffect(() => {
    if (focusNext.current && focusKey !== null) {
      focusNext.current = false;
      elements.current.get(focusKey)?.focus();
    }
  });

  const move = (row: ResultRow | undefined): void => {
    if (row === undefined) {
      return;
    }
    focusNext.current = true;
    onActivate(row.key);
    if (rows.indexOf(row) >= rows.length - 5 && hasMore) {
      onNearEnd();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    const row = rows[activeIndex];
    if (row === undefined) {
      return;
    }
    let handled = true;
    if (event.key === 'ArrowDown' && event.altKey) {
      move(rows.slice(activeIndex + 1).find((candidate) => candidate.kind === 'file'));
    } else if (event.key === 'ArrowUp' && event.altKey) {
      const header = rows.findIndex((candidate) => candidate.kind === 'file' && candidate.group === row.group);
      move(
        rows
          .slice(0, row.kind === 'file' ? activeIndex : header + 1)
          .reverse()
          .find((candidate) => candidate.kind === 'file' && candidate !== row),
      );
    } else if (event.key === 'ArrowDown') {
      move(rows[activeIndex + 1]);
    } else if (event.key === 'ArrowUp') {
      move(rows[activeIndex - 1]);
    } else if (event.key === 'Home') {
      move(rows[0]);
    } else if (event.key === 'End') {
      move(rows[rows.length - 1]);
    } else if (event.key === 'ArrowLeft') {
      if (row.kind === 'match') {
        move(rows.find((candidate) => candidate.kind === 'file' && candidate.group === row.group));
      } else if (!collapsed.has(row.key)) {
        onToggle(row.key, true);
      }
    } else if (event.key === 'ArrowRight') {
      if (row.kind === 'file' && collapsed.has(row.key)) {
        onToggle(row.key, false);
      } else if (row.kind === 'file') {
        move(rows[activeIndex + 1]);
      }
    } else if (event.key === 'Enter' || event.key === ' ') {
      if (row.kind === 'file') {
        onToggle(row.key, !collapsed.has(row.key));
      } else {
        onEnter(row.match);
      }
    } else if (event.key === 'Escape') {
      onLeave();
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  const register = (key: string) => (element: HTMLElement | null) => {
    if (element === null) {
      elements.current.delete(key);
    } else {
      elements.current.set(key, element);
    }
  };

  return (
    <ul className="result-groups" role="tree" aria-label="Search results" onKeyDown={onKeyDown}>
      {groups.map((group) => {
        const expanded = !collapsed.has(group.key);
        const lines = contextLines.get(fileKey(group));
        return (
          <li key={group.key} className="result-group" role="none">
            <div
              ref={register(group.key)}
              className={`result-file ${group.key === focusKey ? 'row-active' : ''}`}
              role="treeitem"
              aria-level={1}
              aria-expanded={expanded}
              aria-selected={group.key === focusKey}
              aria-label={`${group.path} in ${repositoryName(group.repo)}, ${group.matches.length} ${group.matches.length === 1 ? 'match' : 'matches'}`}
              tabIndex={group.key === focusKey ? 0 : -1}
              onClick={() => {
                onActivate(group.key);
                onToggle(group.key, expanded);
              }}
            >
              <span className="result-chevron" aria-hidden="true">
                {expanded ? '▾' : '▸'}
              </span>
              <span className="result-repo" title={group.repo}>
                {repositoryName(group.repo)}
              </span>
              <span className="mono result-path" title={group.path}>
                {group.path}
              </span>
              <span className="result-count num">{group.matches.length}</span>
            </div>
            {expanded && (
              <ul className="result-lines" role="group">
                {group.matches.map((match, index) => {
                  const key = matchKey(match);
                  // Context above stops below the previous match's context below, so no line shows twice.
                  const previous = group.matches[index - 1]?.line ?? Number.NEGATIVE_INFINITY;
                  const next = group.matches[index + 1]?.line ?? Number.POSITIVE_INFINITY;
                  return (
                    <li
                      key={key}
                      ref={register(key)}
                      className={`result-line ${key === focusKey ? 'row-active' : ''}`}
                      role="treeitem"
                      aria-level={2}
                      aria-selected={key === focusKey}
                      aria-label={`Line ${match.line}: ${match.text.slice(0, 200)}`}
                      tabIndex={key === focusKey ? 0 : -1}
                      onClick={() => onActivate(key)}
                      onDoubleClick={() => onEnter(match)}
                    >
                      {context > 0 && <ContextLines lines={lines} from={Math.max(previous + context + 1, match.line - context, 1)} to={match.line - 1} />}
                      <MatchLine match={match} />
                      {context > 0 && <ContextLines lines={lines} from={match.line + 1} to={Math.min(match.line + context, next - 1)} />}
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function ContextLines({ lines, from, to }: { readonly lines: ReadonlyMap<number, FileLine> | undefined; readonly from: number; readonly to: number }) {
  if (lines === undefined || to < from) {
    return null;
  }
  const shown: FileLine[] = [];
  for (let line = from; line <= to; line += 1) {
    const found = lines.get(line);
    if (found !== undefined) {
      shown.push(found);
    }
  }
  return (
    <>
      {shown.map((line) => (
        <div key={line.line} className="result-context" aria-hidden="true">
          <span className="line-number num">{line.line}</span>
          <code className="result-text">{line.text.length > 400 ? `${line.text.slice(0, 400)}…` : line.text}</code>
        </div>
      ))}
    </>
  );
}

function MatchLine({ match }: { readonly match: SearchMatch }) {
  const segments = highlightSegments(match.text, match.ranges);
  return (
    <div className="result-match">
      <span className="line-number num">{match.line}</span>
      <code className="result-text">{segments.map((segment, index) => (segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}</code>
    </div>
  );
}
