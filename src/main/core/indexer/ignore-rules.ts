import { join } from 'node:path';
import { readBoundedText } from '../files/bounded-text';
import { IgnoreRuleSet, MAX_RULE_LENGTH } from '../files/ignore-rule-set';
import { joinRaw, lossyText, type RawPath } from '../files/raw-path';

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
  readonly rules: IgnoreRuleSet;
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
    const exclude = new IgnoreRuleSet();
    const read = addFile(exclude, join(rootAbsolute, '.git', 'info', 'exclude'), limits);
    return new IgnoreRules(read ? [{ base: '', rules: exclude }] : [], limits).descend(rootAbsolute, '');
  }

  /** The rules of a sub-folder: these plus the folder's own ignore files, if any. */
  descend(folderAbsolute: RawPath, folderRelative: string): IgnoreRules {
    const rules = new IgnoreRuleSet();
    let read = false;
    for (const name of ignoreFileNames) {
      read = addFile(rules, joinRaw(folderAbsolute, name), this.limits) || read;
    }
    if (!read) {
      return this;
    }
    const base = folderRelative === '' ? '' : `${folderRelative}/`;
    return new IgnoreRules([...this.sets, { base, rules }], this.limits);
  }

  /** Whether `relativePath` ('/'-separated, from the root) is ignored. */
  ignores(relativePath: string, isDirectory: boolean): boolean {
    // The deepest folder's rules decide first, as in git; a folder's last matching rule wins.
    for (let index = this.sets.length - 1; index >= 0; index -= 1) {
      const set = this.sets[index] as RuleSet;
      const verdict = set.rules.test(relativePath.slice(set.base.length), isDirectory);
      if (verdict !== null) {
        return verdict === 'ignored';
      }
    }
    return false;
  }
}

/** Adds the rules of the ignore file at `path`, if it was read; warns of lines too long to apply. */
function addFile(rules: IgnoreRuleSet, path: RawPath, limits: IgnoreFileLimits): boolean {
  const text = readRules(path, limits);
  if (text === null) {
    return false;
  }
  const before = rules.linesTooLong;
  rules.add(text);
  const dropped = rules.linesTooLong - before;
  if (dropped > 0) {
    limits.onWarning(`Ignore file ${lossyText(path)}: ${dropped} ${dropped === 1 ? 'line is' : 'lines are'} longer than ${MAX_RULE_LENGTH} characters and not applied`);
  }
  return true;
}

function readRules(path: RawPath, limits: IgnoreFileLimits): string | null {
  const read = readBoundedText(path, limits.maxBytes);
  if (read.ok) {
    return read.text;
  }
  if (!read.missing) {
    limits.onWarning(`Ignore file skipped, its rules are not applied: ${read.message}`);
  }
  return null;
}
