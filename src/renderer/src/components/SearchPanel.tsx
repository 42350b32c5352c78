import { useEffect, useId, useMemo, useRef, useState, type RefObject } from 'react';
import type { ResultError } from '../../../shared/result';
import type { SearchMatch, SearchMode, SearchTotal } from '../../../shared/types';
import { useApi, useAppInfo } from '../api/api-context';
import { formatCount } from '../lib/format';
import { highlightSegments, joinRepoPath } from '../lib/highlight';
import { EmptyState, ErrorState, LoadingState, Panel } from './Panel';

/** Matches asked for per page. */
export const SEARCH_PAGE_SIZE = 100;
/** Pause after the last keystroke before searching. */
export const SEARCH_DEBOUNCE_MS = 200;

const modes: readonly { readonly mode: SearchMode; readonly label: string }[] = [
  { mode: 'literal', label: 'Literal' },
  { mode: 'regex', label: 'Regex' },
  { mode: 'words', label: 'Words' },
];

type SearchState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: ResultError }
  | {
      readonly status: 'ready';
      readonly matches: readonly SearchMatch[];
      readonly nextCursor: string | undefined;
      readonly total: SearchTotal;
      readonly elapsedMs: number;
      readonly loadingMore: boolean;
      readonly moreError: ResultError | null;
    };

interface FileGroup {
  readonly key: string;
  readonly repo: string;
  readonly path: string;
  readonly matches: SearchMatch[];
}

/** Consecutive matches of one file form a group (results come sorted by path, then line). */
export function groupByFile(matches: readonly SearchMatch[]): FileGroup[] {
  const groups: FileGroup[] = [];
  for (const match of matches) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last.repo === match.repo && last.path === match.path) {
      last.matches.push(match);
    } else {
      groups.push({ key: `${match.repo}\u0000${match.path}`, repo: match.repo, path: match.path, matches: [match] });
    }
  }
  return groups;
}

/** Code search over every indexed repository, paged as the list scrolls. */
export function SearchPanel({ inputRef }: { readonly inputRef: RefObject<HTMLInputElement | null> }) {
  const api = useApi();
  const appInfo = useAppInfo();
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>('literal');
  const [matchCase, setMatchCase] = useState(true);
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const generation = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  const modeName = useId();
  // This panel's search channel: a newer search on it cancels the one still running in main.
  const channel = useRef(`search-panel-${Math.random().toString(36).slice(2)}`).current;

  useEffect(() => {
    generation.current += 1;
    const current = generation.current;
    if (query.trim() === '') {
      setState({ status: 'idle' });
      return undefined;
    }
    setState({ status: 'loading' });
    const timer = window.setTimeout(() => {
      void api.search({ query, mode, ignoreCase: !matchCase, limit: SEARCH_PAGE_SIZE, channel }).then((result) => {
        if (current !== generation.current) {
          return;
        }
        setState(
          result.ok
            ? { status: 'ready', matches: result.value.matches, nextCursor: result.value.nextCursor, total: result.value.total, elapsedMs: result.value.elapsedMs, loadingMore: false, moreError: null }
            : { status: 'error', error: result.error },
        );
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [api, query, mode, matchCase, channel]);

  const loadMore = async (): Promise<void> => {
    if (state.status !== 'ready' || state.nextCursor === undefined || state.loadingMore) {
      return;
    }
    const current = generation.current;
    const cursor = state.nextCursor;
    setState({ ...state, loadingMore: true, moreError: null });
    const result = await api.search({ query, mode, ignoreCase: !matchCase, limit: SEARCH_PAGE_SIZE, cursor, channel });
    if (current !== generation.current) {
      return;
    }
    setState((previous) => {
      if (previous.status !== 'ready') {
        return previous;
      }
      return result.ok
        ? { ...previous, matches: [...previous.matches, ...result.value.matches], nextCursor: result.value.nextCursor, total: result.value.total, loadingMore: false }
        : { ...previous, loadingMore: false, moreError: result.error };
    });
  };
  const loadMoreRef = useRef(loadMore);
  loadMoreRef.current = loadMore;

  // Infinite scroll: the sentinel under the list asks for the next page when it comes into view.
  const hasMore = state.status === 'ready' && state.nextCursor !== undefined;
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!hasMore || sentinel === null || typeof IntersectionObserver !== 'function') {
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          void loadMoreRef.current();
        }
      },
      { root: scrollRef.current, rootMargin: '200px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasMore, state.status === 'ready' ? state.matches.length : 0]);

  const groups = useMemo(() => (state.status === 'ready' ? groupByFile(state.matches) : []), [state]);
  const canOpen = appInfo?.canOpenInEditor === true;

  const open = async (match: SearchMatch): Promise<void> => {
    const result = await api.openInEditor({ path: joinRepoPath(match.repo, match.path), line: match.line });
    setOpenError(result.ok ? null : result.error.message);
  };

  let meta: string | undefined;
  if (state.status === 'ready') {
    const { matches, files, exact } = state.total;
    const more = exact ? '' : '+';
    meta = `${formatCount(matches)}${more} ${matches === 1 ? 'match' : 'matches'} in ${formatCount(files)}${more} ${files === 1 ? 'file' : 'files'} · ${Math.round(state.elapsedMs)} ms`;
  }

  return (
    <Panel title="Search" className="area-search" meta={meta}>
      <div className="search-bar">
        <div className="search-field">
          <input
            ref={inputRef}
            className="input input-mono"
            type="search"
            aria-label="Search"
            aria-keyshortcuts="Control+K Meta+K"
            placeholder="Search code   (Ctrl+K)"
            spellCheck={false}
            autoComplete="off"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <fieldset className="segmented" aria-label="Search mode">
          {modes.map((option) => (
            <label key={option.mode} className={option.mode === mode ? 'segment segment-active' : 'segment'}>
              <input type="radio" name={modeName} value={option.mode} checked={option.mode === mode} onChange={() => setMode(option.mode)} />
              {option.label}
            </label>
          ))}
        </fieldset>
        <button type="button" className={`toggle ${matchCase ? 'toggle-on' : ''}`} aria-pressed={matchCase} title="Match case" onClick={() => setMatchCase((value) => !value)}>
          Match case
        </button>
      </div>
      {openError !== null && (
        <p className="field-error" role="alert">
          {openError}
        </p>
      )}
      <div className="search-results" ref={scrollRef}>
        {state.status === 'idle' && <EmptyState title="Search every indexed repository" hint="Literal text, a JavaScript regular expression, or words ranked by relevance." />}
        {state.status === 'loading' && <LoadingState label="Searching…" />}
        {state.status === 'error' && <ErrorState error={state.error} />}
        {state.status === 'ready' && state.matches.length === 0 && <EmptyState title={`No matches for “${query}”`} hint="Try another mode, or turn off Match case." />}
        {state.status === 'ready' && state.matches.length > 0 && (
          <ul className="result-groups" aria-label="Search results">
            {groups.map((group) => (
              <li key={group.key} className="result-group">
                <div className="result-file">
                  <span className="mono result-path">{group.path}</span>
                  <span className="muted num">{group.matches.length}</span>
                </div>
                <ul className="result-lines">
                  {group.matches.map((match) => (
                    <li key={`${match.line}`} className="result-line">
                      {canOpen ? (
                        <button type="button" className="result-open" onClick={() => void open(match)} title={`Open ${match.path} at line ${match.line}`}>
                          <MatchLine match={match} />
                        </button>
                      ) : (
                        <div className="result-static">
                          <MatchLine match={match} />
                        </div>
                      )}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
        {state.status === 'ready' && state.nextCursor !== undefined && (
          <div ref={sentinelRef} className="load-more">
            <button type="button" className="button button-small" disabled={state.loadingMore} onClick={() => void loadMore()}>
              {state.loadingMore ? 'Loading…' : 'Load more results'}
            </button>
          </div>
        )}
        {state.status === 'ready' && state.moreError !== null && <ErrorState error={state.moreError} onRetry={() => void loadMore()} />}
      </div>
    </Panel>
  );
}

function MatchLine({ match }: { readonly match: SearchMatch }) {
  const segments = highlightSegments(match.text, match.ranges);
  return (
    <>
      <span className="result-location mono">
        {match.path}:{match.line}
      </span>
      <code className="result-text">
        {segments.map((segment, index) => (segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
      </code>
    </>
  );
}
