import { useEffect, useRef, useState } from 'react';
import type { GitbotApi } from '../../../shared/contract';
import type { ResultError } from '../../../shared/result';
import type { FileLine, SearchMatch } from '../../../shared/types';
import { contextLinesWanted, fileKey, fileOf, type FileGroup } from '../search/result-groups';

/** Most lines one readLines request asks for (the contract's limit). */
const MAX_LINES_PER_READ = 1000;

/**
 * Context lines around the matches of the listed files, read from the index one file at a
 * time (one reader connection, never a burst of them). Lines already read are kept until the
 * result set changes.
 */
export function useContextLines(api: GitbotApi, groups: readonly FileGroup[], context: number, resultSet: unknown): ReadonlyMap<string, ReadonlyMap<number, FileLine>> {
  const [lines, setLines] = useState<ReadonlyMap<string, ReadonlyMap<number, FileLine>>>(new Map());
  const asked = useRef(new Map<string, Set<number>>());

  useEffect(() => {
    asked.current = new Map();
    setLines(new Map());
  }, [resultSet]);

  useEffect(() => {
    let active = true;
    const run = async (): Promise<void> => {
      for (const group of groups) {
        const key = fileKey(group);
        const known = asked.current.get(key) ?? new Set<number>();
        const wanted = contextLinesWanted(group, context)
          .filter((line) => !known.has(line))
          .slice(0, MAX_LINES_PER_READ);
        if (wanted.length === 0) {
          continue;
        }
        wanted.forEach((line) => known.add(line));
        asked.current.set(key, known);
        const result = await api.readLines({ ...fileOf(group), lines: wanted });
        if (!active) {
          return;
        }
        if (result.ok) {
          setLines((previous) => {
            const next = new Map(previous);
            const file = new Map(previous.get(key));
            result.value.lines.forEach((line) => file.set(line.line, line));
            next.set(key, file);
            return next;
          });
        }
      }
    };
    void run();
    return () => {
      active = false;
    };
  }, [api, groups, context]);

  return lines;
}

/** Lines shown above and below the match in the preview. */
export const PREVIEW_RADIUS = 12;

export type PreviewState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly match: SearchMatch }
  | { readonly status: 'ready'; readonly match: SearchMatch; readonly lines: readonly FileLine[] }
  | { readonly status: 'error'; readonly match: SearchMatch; readonly error: ResultError };

/** The lines around the selected match, read from the index a moment after the selection settles. */
export function usePreview(api: GitbotApi, match: SearchMatch | null): PreviewState {
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  useEffect(() => {
    if (match === null) {
      setState({ status: 'idle' });
      return undefined;
    }
    let active = true;
    setState((previous) => (previous.status === 'ready' && previous.match === match ? previous : { status: 'loading', match }));
    const timer = window.setTimeout(() => {
      const lines = Array.from({ length: PREVIEW_RADIUS * 2 + 1 }, (_, index) => match.line - PREVIEW_RADIUS + index).filter((line) => line >= 1);
      void api.readLines({ ...fileOf(match), lines }).then((result) => {
        if (active) {
          setState(result.ok ? { status: 'ready', match, lines: result.value.lines } : { status: 'error', match, error: result.error });
        }
      });
    }, 80);
    return () => {
      active = false;
      window.clearTimeout(timer);
    };
  }, [api, match]);
  return state;
}
