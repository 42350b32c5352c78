import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readBoundedText } from '../files/bounded-text';

/** Ignore files read in every folder, in order: a later file overrides an earlier one. */
export const ignoreFileNames = ['.gitignore', '.gitbotignore'] as const;

/** How ignore files are read: at most `maxBytes` each (IGNORE_FILE_MAX_BYTES); a refused one is told to `onWarning`. */
export interface IgnoreFileLimits {
  readonly maxBytes: number;
  readonly onWarning: (message: string) => void;
}

/** Large enough for real ignore files (a 7,000-line .gitignore is ~153 KB), small enough to bound memory. */
export const DEFAULT_IGNORE_FILE_MAX_BYTES = 1024 * 1024;

const defaultLimits: IgnoreFileLimits = { maxBytes: DEFAULT_IGNORE_FILE_MAX_BYTES, onWarning: () => {} };

interface RuleSet {
  /** Folder of the rules, relative to the root, '' or ending in '/'. */
  readonly base: string;
  readonly rules: Ignore;
}

/**
 * The ignore rules in force in one folder: its ancestors' rule sets plus its own. Deeper
 * rules override shallower ones, and a `!pattern` re-includes, as in git.
 */
export class IgnoreRules {
  private constructor(
    private readonly sets: readonly RuleSet[],
    private readonly limits: IgnoreFileLimits,
  ) {}

  /**
   * The root's rules: .git/info/exclude first, then the root's own ignore files. An ignore
   * file that is too large, a symlink (git does not follow one either) or not a regular file
   * is skipped with a warning, and the walk goes on without its rules.
   */
  static forRoot(rootAbsolute: string, limits: IgnoreFileLimits = defaultLimits): IgnoreRules {
    const empty = new IgnoreRules([], limits);
    const exclude = readRules(join(rootAbsolute, '.git', 'info', 'exclude'), limits);
    const withExclude = exclude === null ? empty : new IgnoreRules([{ base: '', rules: ignore().add(exclude) }], limits);
    return withExclude.descend(rootAbsolute, '');
  }

  /** The rules of a sub-folder: these plus the folder's own ignore files, if any. */
  descend(folderAbsolute: string, folderRelative: string): IgnoreRules {
    let rules: Ignore | null = null;
    for (const name of ignoreFileNames) {
      const text = readRules(join(folderAbsolute, name), this.limits);
      if (text !== null) {
        rules ??= ignore();
        rules.add(text);
      }
    }
    if (rules === null) {
      return this;
    }
    const base = folderRelative === '' ? '' : `${folderRelative}/`;
    return new IgnoreRules([...this.sets, { base, rules }], this.limits);
  }

  /** Whether `relativePath` ('/'-separated, from the root) is ignored. */
  ignores(relativePath: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const set of this.sets) {
      const local = relativePath.slice(set.base.length);
      const result = set.rules.test(isDirectory ? `${local}/` : local);
      if (result.ignored) {
        ignored = true;
      } else if (result.unignored) {
        ignored = false;
      }
    }
    return ignored;
  }
}

function readRules(path: string, limits: IgnoreFileLimits): string | null {
  const read = readBoundedText(path, limits.maxBytes);
  if (read.ok) {
    return read.text;
  }
  if (!read.missing) {
    limits.onWarning(`Ignore file skipped, its rules are not applied: ${read.message}`);
  }
  return null;
}
