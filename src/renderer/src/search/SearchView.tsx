import { useEffect, useId, useMemo, useRef, useState, type RefObject } from 'react';
import { hasQueryFilters, parseQueryFilters } from '../../../shared/query-filters';
import type { RepositoryInfo, SearchMatch, SearchMode, SearchTotal } from '../../../shared/types';
import { useApi, useAppInfo } from '../api/api-context';
import { EmptyState, ErrorState, LoadingState } from '../components/Panel';
import { useContextLines } from '../hooks/use-file-lines';
import { useSearch } from '../hooks/use-search';
import { formatCount } from '../lib/format';
import { joinRepoPath } from '../lib/highlight';
import { PreviewPane } from './PreviewPane';
import { QueryHelp } from './QueryHelp';
import { groupByFile, matchKey, repositoryName } from './result-groups';
import { ResultsTree } from './ResultsTree';

const modes: readonly { readonly mode: SearchMode; readonly label: string }[] = [
  { mode: 'literal', label: 'Literal' },
  { mode: 'regex', label: 'Regex' },
  { mode: 'words', label: 'Words' },
];

/** Errors that are about what was typed: shown under the field, old results kept. */
const queryErrors = new Set(['invalid_regex', 'bad_request']);

interface SearchViewProps {
  readonly inputRef: RefObject<HTMLInputElement | null>;
  readonly repositories: readonly RepositoryInfo[];
  /** The repository being indexed, if any: meanwhile results say the index is incomplete. Its root only, so progress does not re-render the results. */
  readonly indexingRepo: string | null;
  /** Bumped whenever a run ends: the search shown is run again. */
  readonly indexVersion: number;
}

/** The main view: query, scope and options on top, results and preview below, one scroller each. */
export function SearchView({ inputRef, repositories, indexingRepo, indexVersion }: SearchViewProps) {
  const api = useApi();
  const appInfo = useAppInfo();
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>('literal');
  const [matchCase, setMatchCase] = useState(true);
  const [repo, setRepo] = useState<string | null>(null);
  const [context, setContext] = useState(0);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  const [showPreview, setShowPreview] = useState(true);
  const modeName = useId();
  const errorId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const search = useSearch(api, { query, mode, matchCase, repo, indexVersion });
  const { results } = search;

  const groups = useMemo(() => (results === null ? [] : groupByFile(results.matches)), [results]);
  const contextLines = useContextLines(api, groups, context, results?.query ?? null);
  useEffect(() => {
    setCollapsed(new Set());
    setActiveKey(null);
  }, [results?.query, mode, repo]);

  const activeMatch = useMemo<SearchMatch | null>(() => {
    for (const group of groups) {
      if (group.key === activeKey) {
        return group.matches[0] ?? null;
      }
      const found = group.matches.find((match) => matchKey(match) === activeKey);
      if (found !== undefined) {
        return found;
      }
    }
    return null;
  }, [groups, activeKey]);

  // The sentinel under the list asks for the next page when it scrolls into view.
  const hasMore = results?.nextCursor !== undefined;
  const loadMoreRef = useRef(search.loadMore);
  loadMoreRef.current = search.loadMore;
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!hasMore || sentinel === null || typeof IntersectionObserver !== 'function') {
      return undefined;
    }
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && void loadMoreRef.current(), { root: scrollRef.current, rootMargin: '300px' });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasMore, results?.matches.length]);

  const canOpen = appInfo?.canOpenInEditor === true;
  const open = async (match: SearchMatch): Promise<void> => {
    const result = await api.openInEditor({ path: joinRepoPath(match.repo, match.path), line: match.line, ...(match.pathBytes === undefined ? {} : { pathBytes: match.pathBytes }) });
    setOpenError(result.ok ? null : result.error.message);
  };
  const enter = (match: SearchMatch): void => {
    setActiveKey(matchKey(match));
    if (canOpen) {
      void open(match);
    } else {
      setShowPreview(true);
    }
  };

  const fieldError = search.error !== null && queryErrors.has(search.error.code) ? search.error : null;
  const otherError = search.error !== null && fieldError === null ? search.error : null;
  const filters = parseQueryFilters(query);
  const running = indexingRepo !== null;
  const stale = results !== null && results.query !== query;

  return (
    <section className="search-view" aria-label="Search">
      <div className="search-toolbar">
        <div className="search-field">
          <input
            ref={inputRef}
            className={`input input-mono search-input ${fieldError !== null ? 'input-invalid' : ''}`}
            type="search"
            aria-label="Search"
            aria-keyshortcuts="Control+K Meta+K"
            aria-invalid={fieldError !== null}
            aria-describedby={fieldError !== null ? errorId : undefined}
            placeholder="Search code, e.g. useState path:src/**   (Ctrl+K)"
            spellCheck={false}
            autoComplete="off"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                // Esc belongs to the box: it clears the query, and nothing else (never a running index).
                event.preventDefault();
                event.stopPropagation();
                setQuery('');
              } else if (event.key === 'ArrowDown' && groups.length > 0) {
                event.preventDefault();
                setActiveKey((current) => current ?? (groups[0]?.matches[0] !== undefined ? matchKey(groups[0].matches[0]) : null));
                window.requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>('[role="treeitem"][tabindex="0"]')?.focus());
              }
            }}
          />
          {fieldError !== null && (
            <p id={errorId} className="field-error" role="alert">
              {fieldError.message}
            </p>
          )}
        </div>
        <fieldset className="segmented" aria-label="Search mode">
          {modes.map((option) => (
            <label key={option.mode} className={option.mode === mode ? 'segment segment-active' : 'segment'}>
              <input type="radio" name={modeName} value={option.mode} checked={option.mode === mode} onChange={() => setMode(option.mode)} />
              {option.label}
            </label>
          ))}
        </fieldset>
        <button type="button" className={`toggle ${matchCase ? 'toggle-on' : ''}`} aria-pressed={matchCase} onClick={() => setMatchCase((value) => !value)}>
          Match case
        </button>
        <label className="field-inline">
          <span>Scope</span>
          <select className="select" aria-label="Scope" value={repo ?? ''} onChange={(event) => setRepo(event.target.value === '' ? null : event.target.value)}>
            <option value="">All repositories</option>
            {repositories.map((repository) => (
              <option key={repository.root} value={repository.root}>
                {repositoryName(repository.root)} — {repository.root}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>Context</span>
          <select className="select" aria-label="Context lines" value={context} onChange={(event) => setContext(Number(event.target.value))}>
            {[0, 1, 2, 3, 4, 5].map((lines) => (
              <option key={lines} value={lines}>
                {lines === 0 ? 'none' : `${lines} line${lines === 1 ? '' : 's'}`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className={`toggle ${showPreview ? 'toggle-on' : ''}`} aria-pressed={showPreview} onClick={() => setShowPreview((value) => !value)}>
          Preview
        </button>
        <QueryHelp />
      </div>
      <div className="search-status">
        <p className="search-summary num" role="status">
          {summaryText(results, search.searching)}
        </p>
        {hasQueryFilters(filters) && (
          <ul className="filter-chips" aria-label="Filters">
            {filters.repo !== null && <li>repo: {filters.repo}</li>}
            {filters.paths.map((glob) => (
              <li key={`path:${glob}`}>path: {glob}</li>
            ))}
            {filters.excludedPaths.map((glob) => (
              <li key={`-path:${glob}`}>not path: {glob}</li>
            ))}
          </ul>
        )}
        {groups.length > 0 && (
          <div className="search-status-actions">
            <button type="button" className="button button-small" onClick={() => setCollapsed(new Set(groups.map((group) => group.key)))}>
              Collapse all
            </button>
            <button type="button" className="button button-small" onClick={() => setCollapsed(new Set())}>
              Expand all
            </button>
          </div>
        )}
      </div>
      {running && query.trim() !== '' && (
        <p className="notice notice-info" role="status">
          The index of {repositoryName(indexingRepo)} is still being built: results may be missing, and they refresh by themselves when it finishes.
        </p>
      )}
      {openError !== null && (
        <p className="field-error" role="alert">
          {openError}
        </p>
      )}
      <div className={`search-body ${showPreview ? 'search-body-preview' : ''}`}>
        <div className="search-results" ref={scrollRef} aria-busy={search.searching || stale}>
          {results === null && !search.searching && otherError === null && (
            <EmptyState
              title={repositories.length === 0 ? 'Nothing indexed yet' : 'Search every indexed repository'}
              hint={
                repositories.length === 0
                  ? 'Open the Dashboard (Ctrl+J), enter a repository path and press Index.'
                  : 'Literal text, an rg regular expression, or words ranked by relevance. Filters: repo:, path:, -path: (see Syntax).'
              }
            />
          )}
          {results === null && search.searching && <LoadingState label="Searching…" />}
          {otherError !== null && <ErrorState error={otherError} />}
          {otherError === null && results !== null && results.matches.length === 0 && !search.searching && (
            <EmptyState title={`No matches for “${results.query}”`} hint={running ? 'The index is still being built.' : 'Try another mode, turn off Match case, or widen the scope.'} />
          )}
          {otherError === null && results !== null && results.matches.length > 0 && (
            <ResultsTree
              groups={groups}
              collapsed={collapsed}
              onToggle={(key, collapse) =>
                setCollapsed((previous) => {
                  const next = new Set(previous);
                  if (collapse) {
                    next.add(key);
                  } else {
                    next.delete(key);
                  }
                  return next;
                })
              }
              activeKey={activeKey}
              onActivate={setActiveKey}
              onEnter={enter}
              onLeave={() => inputRef.current?.focus()}
              onNearEnd={() => void search.loadMore()}
              context={context}
              contextLines={contextLines}
              hasMore={hasMore}
            />
          )}
          {otherError === null && hasMore && (
            <div ref={sentinelRef} className="load-more">
              <button type="button" className="button button-small" disabled={search.loadingMore} onClick={() => void search.loadMore()}>
                {search.loadingMore ? 'Loading…' : 'Load more results'}
              </button>
            </div>
          )}
          {search.moreError !== null && <ErrorState error={search.moreError} onRetry={() => void search.loadMore()} />}
        </div>
        {showPreview && <PreviewPane match={activeMatch} onOpen={(match) => void open(match)} />}
      </div>
    </section>
  );
}

/**
 * "82,650 matches in 3,120 files · 12 ms" from the latest page's totals, with "+" while the count is
 * "at least"; the time is that of every page loaded, so "Load more" adds to it (and says how many pages).
 */
export function summaryText(results: { readonly total: SearchTotal; readonly elapsedMs: number; readonly pages: number } | null, searching: boolean): string {
  if (results === null) {
    return searching ? 'Searching…' : '';
  }
  const { matches, files, exact } = results.total;
  const more = exact ? '' : '+';
  const countText = `${formatCount(matches)}${more} ${matches === 1 ? 'match' : 'matches'}`;
  const filesText = `${formatCount(files)}${more} ${files === 1 ? 'file' : 'files'}`;
  const pagesText = results.pages > 1 ? ` for ${formatCount(results.pages)} pages` : '';
  return `${countText} in ${filesText} · ${Math.round(results.elapsedMs)} ms${pagesText}${searching ? ' · updating…' : ''}`;
}
