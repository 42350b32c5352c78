import type BetterSqlite3 from 'better-sqlite3';
import picomatch from 'picomatch';
import { matchRepository, parseQueryFilters } from '../../../shared/query-filters';
import { AppError } from '../base/errors';
import type { ReadPlan } from './read-plan';

type Database = BetterSqlite3.Database;

/** The part of the search arguments the query filters rewrite. */
interface FilterableArgs {
  readonly query: string;
  readonly repo?: string | undefined;
}

/** Which files of a read plan a query keeps, by path; decided before any of their text is read. */
export interface PathFilter {
  /** Part of the query-cache key: two queries with different filters never share a plan. */
  readonly key: string;
  /** The plan without the files whose path the filter refuses (the same plan when there is no filter). */
  keep(db: Database, plan: ReadPlan): ReadPlan;
}

const noFilter: PathFilter = { key: '', keep: (_db, plan) => plan };

/** Longest glob accepted: globs compile to regexes, and their size stays bounded. */
const MAX_GLOB_LENGTH = 500;

/**
 * Applies `repo:`, `path:` and `-path:` in the query (src/shared/query-filters.ts): the query
 * text loses them, `repo:` becomes the search's repository, and the path globs become a
 * filter of the plan. Globs follow rg's `-g`: a glob without `/` matches the file name at
 * any depth, one with `/` matches the path from the repository root.
 */
export function applyQueryFilters<A extends FilterableArgs>(args: A, repositories: ReadonlyMap<number, string>): { readonly args: A; readonly paths: PathFilter } {
  const filters = parseQueryFilters(args.query);
  if (filters.text === args.query) {
    return { args, paths: noFilter };
  }
  if (filters.text === '') {
    throw new AppError('bad_request', 'Type the text to search for next to the filters (repo:, path:, -path:)');
  }
  let repo = args.repo;
  if (filters.repo !== null) {
    const root = matchRepository(filters.repo, repositories.values());
    if (root === null) {
      throw new AppError('not_found', `repo:${filters.repo} names no indexed repository`);
    }
    repo = root;
  }
  const include = filters.paths.map(compileGlob);
  const exclude = filters.excludedPaths.map(compileGlob);
  const paths: PathFilter =
    include.length === 0 && exclude.length === 0
      ? noFilter
      : {
          key: `${filters.paths.join('\u0001')}\u0002${filters.excludedPaths.join('\u0001')}`,
          keep: (db, plan) => keepPaths(db, plan, (path) => (include.length === 0 || include.some((glob) => glob(path))) && !exclude.some((glob) => glob(path))),
        };
  return { args: { ...args, query: filters.text, repo }, paths };
}

function compileGlob(glob: string): (path: string) => boolean {
  if (glob.length > MAX_GLOB_LENGTH) {
    throw new AppError('bad_request', `A path glob is longer than ${MAX_GLOB_LENGTH} characters`);
  }
  // rg: a glob without a slash matches at any depth (basename), one with a slash from the root.
  const anchored = glob.replace(/^\//, '');
  return picomatch(anchored, { dot: true, basename: !glob.includes('/') });
}

const pathStatements = new WeakMap<Database, BetterSqlite3.Statement>();

/** The plan's files whose path `wanted` accepts, with their units; one indexed lookup per file. */
function keepPaths(db: Database, plan: ReadPlan, wanted: (path: string) => boolean): ReadPlan {
  let statement = pathStatements.get(db);
  if (statement === undefined) {
    statement = db.prepare('SELECT path FROM files WHERE id = ?').pluck();
    pathStatements.set(db, statement);
  }
  const files: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  plan.files.forEach((fileId, index) => {
    const path = statement.get(fileId) as string | undefined;
    if (path === undefined || !wanted(path)) {
      return;
    }
    files.push(fileId);
    if (plan.starts !== null && plan.ends !== null) {
      starts.push(...plan.starts.subarray(plan.ends[index - 1] ?? 0, plan.ends[index]));
      ends.push(starts.length);
    }
  });
  return {
    files: Int32Array.from(files),
    starts: plan.starts === null ? null : Int32Array.from(starts),
    ends: plan.ends === null ? null : Int32Array.from(ends),
  };
}
