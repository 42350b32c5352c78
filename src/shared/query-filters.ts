/**
 * Filters typed into the query box: `repo:NAME`, `path:GLOB` and `-path:GLOB`, each a
 * whitespace-separated word anywhere in the query (a value with spaces goes in double
 * quotes). The rest of the query is the text searched for, exactly as typed between the
 * filters. The core applies them before any file text is read; the dashboard parses the
 * same way to show them. Pure: no Node, no DOM.
 */

export interface QueryFilters {
  /** The text to search for: the query itself when it has no filter, else what is left, trimmed. */
  readonly text: string;
  /** The last `repo:` value: a repository root, or the name of its folder. */
  readonly repo: string | null;
  /** Globs a file's path (relative, `/`-separated) must match, any of them. */
  readonly paths: readonly string[];
  /** Globs a file's path must not match. */
  readonly excludedPaths: readonly string[];
}

/** The filter keys the query box understands, for the help popover. */
export const queryFilterHelp: readonly { readonly syntax: string; readonly meaning: string }[] = [
  { syntax: 'repo:NAME', meaning: 'only the repository whose folder is NAME (or whose full path is NAME)' },
  { syntax: 'path:GLOB', meaning: 'only files whose path matches GLOB, e.g. path:src/**/*.ts or path:*.md' },
  { syntax: '-path:GLOB', meaning: 'leave out files whose path matches GLOB, e.g. -path:**/test/**' },
  { syntax: '"…"', meaning: 'quote a value with spaces: path:"docs/my notes/*"' },
];

const filterPattern = /(^|\s)(-?path|repo):("[^"]*"|\S+)/g;

/** Splits a query into its text and its filters. */
export function parseQueryFilters(query: string): QueryFilters {
  let repo: string | null = null;
  const paths: string[] = [];
  const excludedPaths: string[] = [];
  const text = query.replace(filterPattern, (_whole, before: string, key: string, rawValue: string) => {
    const value = rawValue.startsWith('"') ? rawValue.slice(1, -1) : rawValue;
    if (value !== '') {
      if (key === 'repo') {
        repo = value;
      } else if (key === 'path') {
        paths.push(value);
      } else {
        excludedPaths.push(value);
      }
    }
    return before;
  });
  const filtered = repo !== null || paths.length > 0 || excludedPaths.length > 0;
  // Without a filter the query is kept byte for byte: a literal may start or end with a space.
  return { text: filtered ? text.trim() : query, repo, paths, excludedPaths };
}

/** True when the query holds at least one filter. */
export function hasQueryFilters(filters: QueryFilters): boolean {
  return filters.repo !== null || filters.paths.length > 0 || filters.excludedPaths.length > 0;
}

/** The repository root a `repo:` value names among `roots`: the root itself, or the one whose last folder is the value. */
export function matchRepository(value: string, roots: Iterable<string>): string | null {
  const trimmed = value.replace(/[\\/]+$/, '');
  let byName: string | null = null;
  for (const root of roots) {
    const normalised = root.replace(/[\\/]+$/, '');
    if (normalised === trimmed) {
      return root;
    }
    const name = normalised.split(/[\\/]/).pop();
    if (byName === null && name === trimmed) {
      byName = root;
    }
  }
  return byName;
}
