import { hasGlobCharacter, wildmatch } from './wildmatch';

/** One line of an ignore file, parsed as git does (gitignore(5)). */
interface Rule {
  /** Its position in the file: of two matching rules the later one decides. */
  readonly order: number;
  /** The glob, without `!`, the leading '/' and the trailing '/'. */
  readonly glob: string;
  /** `!pattern`: re-includes what an earlier rule ignored. */
  readonly negated: boolean;
  /** `pattern/`: matches folders only. */
  readonly folderOnly: boolean;
  /** No '/' inside: matched against the name alone, at any depth. */
  readonly nameOnly: boolean;
}

/** Whether a rule set says a path is ignored, re-included, or nothing about it. */
export type IgnoreVerdict = 'ignored' | 'included' | null;

/** Longer lines cannot name a Linux path (PATH_MAX) and are dropped, so no line costs more than this to match. */
export const MAX_RULE_LENGTH = 4096;

/** Rules keyed by a string, with the lengths of the keys so a lookup tries only those. */
class KeyedRules {
  private readonly rules = new Map<string, Rule[]>();
  readonly lengths = new Set<number>();

  add(key: string, rule: Rule): void {
    const list = this.rules.get(key);
    if (list === undefined) {
      this.rules.set(key, [rule]);
      this.lengths.add(key.length);
    } else {
      list.push(rule);
    }
  }

  collect(key: string, into: Rule[]): void {
    const list = this.rules.get(key);
    if (list !== undefined) {
      into.push(...list);
    }
  }
}

/**
 * The rules of one folder's ignore files, indexed so that a path is tested only against the
 * rules that could match it: by exact name (`node_modules`), by the literal start or end of
 * a name glob (`tmp-*`, `*.log`), by the literal folders a rule starts with
 * (`/generated/m-7/*.js` under `generated/m-7`), by a literal folder it names anywhere
 * (`cache` for `**` + `/cache/**`), and the few others always. A 7,000-line .gitignore then
 * costs a handful of matches per path, not 7,000 (20,000 paths took 78 s with one regex per rule).
 */
export class IgnoreRuleSet {
  private readonly byName = new KeyedRules();
  private readonly byNameStart = new KeyedRules();
  private readonly byNameEnd = new KeyedRules();
  private readonly byFolder = new KeyedRules();
  private readonly bySegment = new KeyedRules();
  private readonly always: Rule[] = [];
  private count = 0;
  /** Lines dropped for being longer than MAX_RULE_LENGTH, for the caller's warning. */
  linesTooLong = 0;

  /** Adds the lines of one ignore file; later lines (and later files) take precedence. */
  add(text: string): this {
    for (const line of text.split('\n')) {
      if (line.length > MAX_RULE_LENGTH) {
        this.linesTooLong += 1;
        continue;
      }
      const rule = parseRule(line, this.count);
      if (rule !== null) {
        this.count += 1;
        this.index(rule);
      }
    }
    return this;
  }

  /** Rules kept (blank lines and comments are not rules). */
  get size(): number {
    return this.count;
  }

  /** What the last rule matching `path` ('/'-separated, relative to the rules' folder) says. */
  test(path: string, isFolder: boolean): IgnoreVerdict {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const candidates = [...this.always];
    this.byName.collect(name, candidates);
    for (const length of this.byNameStart.lengths) {
      if (length <= name.length) {
        this.byNameStart.collect(name.slice(0, length), candidates);
      }
    }
    for (const length of this.byNameEnd.lengths) {
      if (length <= name.length) {
        this.byNameEnd.collect(name.slice(name.length - length), candidates);
      }
    }
    let segmentStart = 0;
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      this.byFolder.collect(path.slice(0, slash), candidates);
      this.bySegment.collect(path.slice(segmentStart, slash), candidates);
      segmentStart = slash + 1;
    }
    this.byFolder.collect(path, candidates);
    this.bySegment.collect(name, candidates);
    // A rule found under two keys is tested twice, which is harmless.
    candidates.sort((left, right) => right.order - left.order);
    for (const rule of candidates) {
      if (rule.folderOnly && !isFolder) {
        continue;
      }
      if (wildmatch(rule.glob, rule.nameOnly ? name : path, !rule.nameOnly)) {
        return rule.negated ? 'included' : 'ignored';
      }
    }
    return null;
  }

  private index(rule: Rule): void {
    if (rule.nameOnly) {
      return this.indexName(rule.glob, rule);
    }
    const segments = rule.glob.split('/');
    const firstGlob = segments.findIndex((segment) => hasGlobCharacter(segment));
    if (firstGlob === -1) {
      return this.byFolder.add(rule.glob, rule);
    }
    if (firstGlob > 0) {
      return this.byFolder.add(segments.slice(0, firstGlob).join('/'), rule);
    }
    // `**/name` matches what `name` does, at any depth.
    if (segments.length === 2 && segments[0] === '**') {
      return this.indexName(segments[1] as string, rule);
    }
    // A literal segment between slashes matches one whole folder or file name of the path.
    const literal = segments.find((segment) => segment !== '' && !hasGlobCharacter(segment));
    if (literal !== undefined) {
      return this.bySegment.add(literal, rule);
    }
    this.always.push(rule);
  }

  /** A name glob by its longer literal end: `tmp-*` by `tmp-`, `*.tar.gz` by `.tar.gz`. */
  private indexName(glob: string, rule: Rule): void {
    if (!hasGlobCharacter(glob)) {
      return this.byName.add(glob, rule);
    }
    const start = glob.slice(0, glob.search(/[*?[\\]/));
    // ']' ends the literal end too: in `[ab]c` only `c` is literal.
    const end = glob.slice(glob.search(/[^*?[\]\\]*$/));
    if (start.length === 0 && end.length === 0) {
      this.always.push(rule);
    } else if (start.length >= end.length) {
      this.byNameStart.add(start, rule);
    } else {
      this.byNameEnd.add(end, rule);
    }
  }
}

/** One line as git reads it (dir.c): comments, `!`, trailing '/', unescaped trailing spaces. */
function parseRule(line: string, order: number): Rule | null {
  let glob = trimTrailingSpaces(line.endsWith('\r') ? line.slice(0, -1) : line);
  if (glob === '' || glob.startsWith('#')) {
    return null;
  }
  const negated = glob.startsWith('!');
  if (negated) {
    glob = glob.slice(1);
  }
  const folderOnly = glob.endsWith('/');
  if (folderOnly) {
    glob = glob.slice(0, -1);
  }
  const nameOnly = !glob.includes('/');
  if (glob.startsWith('/')) {
    glob = glob.slice(1);
  }
  return glob === '' ? null : { order, glob, negated, folderOnly, nameOnly };
}

/** Trailing spaces are dropped unless escaped with a backslash (`foo\ `). */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ') {
    end -= 1;
  }
  if (end < line.length && end > 0 && line[end - 1] === '\\') {
    end += 1;
  }
  return line.slice(0, end);
}
