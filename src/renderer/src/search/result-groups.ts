import type { SearchMatch } from '../../../shared/types';

/** The matches of one file, in the order they came. */
export interface FileGroup {
  readonly key: string;
  readonly repo: string;
  readonly path: string;
  /** The raw name (base64) when it is not UTF-8: look-alike names are two groups. */
  readonly pathBytes?: string;
  readonly matches: SearchMatch[];
}

/** The key of one match in the list: its file and line. */
export function matchKey(match: SearchMatch): string {
  return `${fileKey(match)}\u0000${match.line}`;
}

/** One file's key: its shown path, and its raw bytes when two names can share that path. */
export function fileKey(file: Pick<SearchMatch, 'repo' | 'path' | 'pathBytes'>): string {
  return `${file.repo}\u0000${file.path}\u0000${file.pathBytes ?? ''}`;
}

/** What names a file to readLines: the raw bytes ride along only when the name is not UTF-8. */
export function fileOf(file: Pick<SearchMatch, 'repo' | 'path' | 'pathBytes'>): { repo: string; path: string; pathBytes?: string } {
  return { repo: file.repo, path: file.path, ...(file.pathBytes === undefined ? {} : { pathBytes: file.pathBytes }) };
}

/**
 * One group per file, in order of first appearance: literal and regex results come sorted
 * (so a file's matches are adjacent, and a next page continues the last group), words results
 * are ranked per document, so one file's documents are gathered under one header.
 */
export function groupByFile(matches: readonly SearchMatch[]): FileGroup[] {
  const groups = new Map<string, FileGroup>();
  for (const match of matches) {
    const key = fileKey(match);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { key, repo: match.repo, path: match.path, ...(match.pathBytes === undefined ? {} : { pathBytes: match.pathBytes }), matches: [match] });
    } else if (!group.matches.some((known) => known.line === match.line)) {
      group.matches.push(match);
    }
  }
  return [...groups.values()];
}

/** A row the keyboard can move to: a file header or one of its matches. */
export type ResultRow =
  { readonly kind: 'file'; readonly key: string; readonly group: FileGroup } | { readonly kind: 'match'; readonly key: string; readonly group: FileGroup; readonly match: SearchMatch };

/** The rows on screen, top to bottom: every header, and the matches of expanded files. */
export function visibleRows(groups: readonly FileGroup[], collapsed: ReadonlySet<string>): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const group of groups) {
    rows.push({ kind: 'file', key: group.key, group });
    if (!collapsed.has(group.key)) {
      for (const match of group.matches) {
        rows.push({ kind: 'match', key: matchKey(match), group, match });
      }
    }
  }
  return rows;
}

/** The last folder of a repository root, its short name on file headers. */
export function repositoryName(root: string): string {
  return (
    root
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? root
  );
}

/** The lines to ask for around each match: `context` before and after, the match lines themselves left out. */
export function contextLinesWanted(group: FileGroup, context: number): number[] {
  if (context === 0) {
    return [];
  }
  const matchLines = new Set(group.matches.map((match) => match.line));
  const wanted = new Set<number>();
  for (const line of matchLines) {
    for (let near = Math.max(1, line - context); near <= line + context; near += 1) {
      if (!matchLines.has(near)) {
        wanted.add(near);
      }
    }
  }
  return [...wanted].sort((a, b) => a - b);
}
