import { useCallback, useEffect, useRef, useState } from 'react';
import type { GitbotApi } from '../../../shared/contract';
import type { ResultError } from '../../../shared/result';
import type { SearchMatch, SearchMode, SearchTotal } from '../../../shared/types';

/** Matches asked for per page (a page holds at most 1,000). */
export const SEARCH_PAGE_SIZE = 100;
/** Pause after the last keystroke before searching. */
export const SEARCH_DEBOUNCE_MS = 200;

/** What the user asked for; a change runs a new search. */
export interface SearchRequest {
  readonly query: string;
  readonly mode: SearchMode;
  readonly matchCase: boolean;
  /** One repository root, or null for all of them. */
  readonly repo: string | null;
  /** Bumped when the index changed (a run ended): the same request is run again. */
  readonly indexVersion: number;
}

export interface SearchResults {
  readonly matches: readonly SearchMatch[];
  /** Where the next page starts; undefined on the last page. */
  readonly nextCursor: string | undefined;
  /** Matches and files counted so far; `exact` false means "at least". */
  readonly total: SearchTotal;
  /** Time the core spent on every page loaded so far (the first page's, plus each "Load more"). */
  readonly elapsedMs: number;
  /** Pages loaded so far. */
  readonly pages: number;
  /** The query these results answer (the box may already hold a newer one). */
  readonly query: string;
}

export interface SearchState {
  /** The latest results; kept while a newer search runs, so the list does not blank as you type. */
  readonly results: SearchResults | null;
  /** True while a search (not a next page) is on its way. */
  readonly searching: boolean;
  /** The error of the latest search; null when it succeeded or is still running. */
  readonly error: ResultError | null;
  readonly loadingMore: boolean;
  readonly moreError: ResultError | null;
  /** Asks for the next page, if any. */
  readonly loadMore: () => Promise<void>;
}

/**
 * All of the search view's data fetching: a debounced search per request, the pages after
 * it, and answers that arrive late dropped. One hook, so the page shape (cursor, totals)
 * is known in one place. Each mount has its own search channel: a newer search on it cancels
 * the one still running in main.
 */
export function useSearch(api: GitbotApi, request: SearchRequest): SearchState {
  const [results, setResults] = useState<SearchResults | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<ResultError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ResultError | null>(null);
  const generation = useRef(0);
  const { query, mode, matchCase, repo, indexVersion } = request;
  const channel = useRef(`search-view-${Math.random().toString(36).slice(2)}`).current;

  const argsFor = useCallback(
    (cursor: string | undefined) => ({ query, mode, ignoreCase: !matchCase, limit: SEARCH_PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }), channel, ...(repo === null ? {} : { repo }) }),
    [query, mode, matchCase, repo, channel],
  );

  useEffect(() => {
    generation.current += 1;
    const current = generation.current;
    setLoadingMore(false);
    setMoreError(null);
    if (query.trim() === '') {
      setResults(null);
      setSearching(false);
      setError(null);
      return undefined;
    }
    setSearching(true);
    const timer = window.setTimeout(() => {
      void api.search(argsFor(undefined)).then((result) => {
        if (current !== generation.current) {
          return;
        }
        setSearching(false);
        if (result.ok) {
          setError(null);
          setResults({ matches: result.value.matches, nextCursor: result.value.nextCursor, total: result.value.total, elapsedMs: result.value.elapsedMs, pages: 1, query });
        } else {
          setError(result.error);
        }
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [api, argsFor, query, indexVersion]);

  const loadMore = async (): Promise<void> => {
    if (results === null || results.nextCursor === undefined || loadingMore || searching) {
      return;
    }
    const current = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    const result = await api.search(argsFor(results.nextCursor));
    if (current !== generation.current) {
      return;
    }
    setLoadingMore(false);
    if (!result.ok) {
      setMoreError(result.error);
      return;
    }
    setResults((previous) =>
      previous === null
        ? previous
        : {
            ...previous,
            matches: [...previous.matches, ...result.value.matches],
            nextCursor: result.value.nextCursor,
            total: result.value.total,
            elapsedMs: previous.elapsedMs + result.value.elapsedMs,
            pages: previous.pages + 1,
          },
    );
  };

  return { results, searching, error, loadingMore, moreError, loadMore };
}
