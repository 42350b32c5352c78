import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Ignore files read in every folder, in order: a later file overrides an earlier one. */
export const ignoreFileNames = ['.gitignore', '.gitbotignore'] as const;

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
  private constructor(private readonly sets: readonly RuleSet[]) {}

  /** The root's rules: .git/info/exclude first, then the root's own ignore files. */
  static forRoot(rootAbsolute: string): IgnoreRules {
    const empty = new IgnoreRules([]);
    const exclude = readRules(join(rootAbsolute, '.git', 'info', 'exclude'));
    const withExclude = exclude === null ? empty : new IgnoreRules([{ base: '', rules: ignore().add(exclude) }]);
    return withExclude.descend(rootAbsolute, '');
  }

  /** The rules of a sub-folder: these plus the folder's own ignore files, if any. */
  descend(folderAbsolute: string, folderRelative: string): IgnoreRules {
    let rules: Ignore | null = null;
    for (const name of ignoreFileNames) {
      const text = readRules(join(folderAbsolute, name));
      if (text !== null) {
        rules ??= ignore();
        rules.add(text);
      }
    }
    if (rules === null) {
      return this;
    }
    const base = folderRelative === '' ? '' : `${folderRelative}/`;
    return new IgnoreRules([...this.sets, { base, rules }]);
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

function readRules(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
