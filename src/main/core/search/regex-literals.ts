/**
 * What literal text every match of a pattern must contain, as a boolean query over strings
 * (after Russ Cox's "Regular Expression Matching with a Trigram Index"): `use[A-Z]\w+State`
 * needs "use" AND "State", `(foo|bar)baz` needs "foobaz" OR "barbaz". The analysis is
 * conservative: whatever it does not understand becomes `all` (no requirement), so the
 * query may admit more lines than the regex matches, never fewer.
 */
export type LiteralQuery =
  | { readonly kind: 'all' }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'and'; readonly parts: readonly LiteralQuery[] }
  | { readonly kind: 'or'; readonly parts: readonly LiteralQuery[] };

export const ALL: LiteralQuery = { kind: 'all' };

/** Exact sets bigger than this become queries: cross products grow fast. */
const MAX_EXACT = 16;
/** Character classes with at most this many members are kept as exact sets. */
const MAX_CLASS = 8;

/** A node's analysis: every string it can match when that set is small, else a query. */
interface Info {
  readonly exact: readonly string[] | null;
  readonly query: LiteralQuery;
}

const ANY: Info = { exact: null, query: ALL };
const EMPTY: Info = { exact: [''], query: ALL };

export function stringQuery(text: string): LiteralQuery {
  return text.length === 0 ? ALL : { kind: 'string', text };
}

export function andQuery(parts: readonly LiteralQuery[]): LiteralQuery {
  const flat: LiteralQuery[] = [];
  for (const part of parts) {
    if (part.kind === 'and') {
      flat.push(...part.parts);
    } else if (part.kind !== 'all') {
      flat.push(part);
    }
  }
  return flat.length === 0 ? ALL : flat.length === 1 ? (flat[0] as LiteralQuery) : { kind: 'and', parts: flat };
}

export function orQuery(parts: readonly LiteralQuery[]): LiteralQuery {
  const flat: LiteralQuery[] = [];
  for (const part of parts) {
    if (part.kind === 'all') {
      return ALL;
    }
    if (part.kind === 'or') {
      flat.push(...part.parts);
    } else {
      flat.push(part);
    }
  }
  const unique = [...new Map(flat.map((part) => [JSON.stringify(part), part])).values()];
  return unique.length === 0 ? ALL : unique.length === 1 ? (unique[0] as LiteralQuery) : { kind: 'or', parts: unique };
}

function toQuery(info: Info): LiteralQuery {
  return info.exact === null ? info.query : orQuery(info.exact.map(stringQuery));
}

/** The literal query every match of the JavaScript regular expression `pattern` satisfies. */
export function regexQuery(pattern: string): LiteralQuery {
  const parser = new Parser(pattern);
  const info = parser.alternation();
  // Anything left over (an unbalanced `)`) means the parse went wrong: require nothing.
  return parser.done() ? toQuery(info) : ALL;
}

class Parser {
  /** Code points, so a quantifier after an astral character applies to all of it. */
  private readonly chars: string[];
  private index = 0;

  constructor(pattern: string) {
    this.chars = [...pattern];
  }

  done(): boolean {
    return this.index >= this.chars.length;
  }

  alternation(): Info {
    const branches = [this.sequence()];
    while (this.chars[this.index] === '|') {
      this.index += 1;
      branches.push(this.sequence());
    }
    if (branches.length === 1) {
      return branches[0] as Info;
    }
    const exact = branches.every((branch) => branch.exact !== null) ? [...new Set(branches.flatMap((branch) => branch.exact as string[]))] : null;
    if (exact !== null && exact.length <= MAX_EXACT) {
      return { exact, query: ALL };
    }
    return { exact: null, query: orQuery(branches.map(toQuery)) };
  }

  private sequence(): Info {
    const parts: LiteralQuery[] = [];
    // The exact strings of the run of exact items since the last inexact one.
    let run: string[] = [''];
    let exact = true;
    while (this.index < this.chars.length && this.chars[this.index] !== '|' && this.chars[this.index] !== ')') {
      const item = this.quantified(this.atom());
      if (item.exact !== null && run.length * item.exact.length <= MAX_EXACT) {
        run = run.flatMap((prefix) => (item.exact as string[]).map((suffix) => prefix + suffix));
        continue;
      }
      exact = false;
      parts.push(orQuery(run.map(stringQuery)));
      if (item.exact !== null) {
        run = [...item.exact];
      } else {
        parts.push(item.query);
        run = [''];
      }
    }
    if (exact) {
      return { exact: [...new Set(run)], query: ALL };
    }
    parts.push(orQuery(run.map(stringQuery)));
    return { exact: null, query: andQuery(parts) };
  }

  private quantified(atom: Info): Info {
    const char = this.chars[this.index];
    let min: number;
    if (char === '*') {
      min = 0;
      this.index += 1;
    } else if (char === '+') {
      min = 1;
      this.index += 1;
    } else if (char === '?') {
      this.index += 1;
      this.skipLazy();
      return atom.exact === null ? ANY : { exact: [...new Set([...atom.exact, ''])], query: ALL };
    } else if (char === '{') {
      const quantifier = /^\{(\d+)(,\d*)?\}/.exec(this.chars.slice(this.index, this.index + 24).join(''));
      if (quantifier === null) {
        return atom;
      }
      min = Number(quantifier[1]);
      this.index += quantifier[0].length;
    } else {
      return atom;
    }
    this.skipLazy();
    return min === 0 ? ANY : { exact: null, query: toQuery(atom) };
  }

  private skipLazy(): void {
    if (this.chars[this.index] === '?') {
      this.index += 1;
    }
  }

  private atom(): Info {
    const char = this.chars[this.index] as string;
    this.index += 1;
    switch (char) {
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case '.':
        return ANY;
      case '^':
      case '$':
        return EMPTY;
      default:
        return { exact: [char], query: ALL };
    }
  }

  private group(): Info {
    let lookaround = false;
    if (this.chars[this.index] === '?') {
      const next = this.chars[this.index + 1];
      if (next === ':') {
        this.index += 2;
      } else if (next === '=' || next === '!') {
        lookaround = true;
        this.index += 2;
      } else if (next === '<' && (this.chars[this.index + 2] === '=' || this.chars[this.index + 2] === '!')) {
        lookaround = true;
        this.index += 3;
      } else if (next === '<') {
        const close = this.chars.indexOf('>', this.index);
        if (close === -1) {
          this.index = this.chars.length;
          return ANY;
        }
        this.index = close + 1;
      } else {
        // Modifiers such as (?i:...) change matching: require nothing.
        this.skipGroupBody();
        return ANY;
      }
    }
    const inner = this.alternation();
    if (this.chars[this.index] === ')') {
      this.index += 1;
    }
    // A lookaround consumes nothing; its text is required only at some position, so skip it.
    return lookaround ? EMPTY : inner;
  }

  private skipGroupBody(): void {
    let depth = 1;
    while (this.index < this.chars.length && depth > 0) {
      const char = this.chars[this.index];
      if (char === '\\') {
        this.index += 2;
        continue;
      }
      if (char === '[') {
        this.index += 1;
        this.characterClass();
        continue;
      }
      if (char === '(') {
        depth += 1;
      } else if (char === ')') {
        depth -= 1;
      }
      this.index += 1;
    }
  }

  /** A class of a few plain characters is an exact set; anything else matches anything. */
  private characterClass(): Info {
    const members = new Set<string>();
    let simple = this.chars[this.index] !== '^';
    let first = true;
    while (this.index < this.chars.length) {
      const char = this.chars[this.index] as string;
      if (char === ']' && !first) {
        this.index += 1;
        break;
      }
      first = false;
      this.index += 1;
      if (char === '\\') {
        const escaped = this.chars[this.index] ?? '';
        this.index += 1;
        if (/^[A-Za-z0-9]$/.test(escaped) || escaped === '') {
          simple = false;
        } else {
          members.add(escaped);
        }
        continue;
      }
      if (char === '[' || (char === '-' && members.size > 0 && this.chars[this.index] !== ']')) {
        // Ranges and nested classes (the v flag): give up on the set.
        simple = false;
        continue;
      }
      members.add(char);
    }
    if (!simple || members.size === 0 || members.size > MAX_CLASS || [...members].some(isSurrogate)) {
      return ANY;
    }
    return { exact: [...members], query: ALL };
  }

  private escape(): Info {
    const char = this.chars[this.index];
    if (char === undefined) {
      return ANY;
    }
    this.index += 1;
    const controls: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
    if (controls[char] !== undefined) {
      return { exact: [controls[char]], query: ALL };
    }
    if (char === 'b' || char === 'B') {
      return EMPTY;
    }
    if (char === 'x' || char === 'u') {
      const hex = char === 'x' ? /^[0-9A-Fa-f]{2}/ : /^(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\})/;
      const found = hex.exec(this.chars.slice(this.index, this.index + 10).join(''));
      if (found === null) {
        return ANY;
      }
      this.index += [...found[0]].length;
      const code = Number.parseInt(found[0].replace(/[{}]/g, ''), 16);
      // Surrogate halves written as escapes pair up only in some modes: require nothing.
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return ANY;
      }
      return { exact: [String.fromCodePoint(code)], query: ALL };
    }
    if (/^[A-Za-z0-9]$/.test(char)) {
      // Classes (\d \w \s \p{..}), back references, \k<name>, \c: skip their arguments.
      if ((char === 'p' || char === 'P') && this.chars[this.index] === '{') {
        const close = this.chars.indexOf('}', this.index);
        this.index = close === -1 ? this.chars.length : close + 1;
      } else if (char === 'k' && this.chars[this.index] === '<') {
        const close = this.chars.indexOf('>', this.index);
        this.index = close === -1 ? this.chars.length : close + 1;
      }
      return ANY;
    }
    return { exact: [char], query: ALL };
  }
}

function isSurrogate(char: string): boolean {
  const code = char.charCodeAt(0);
  return char.length === 1 && code >= 0xd800 && code <= 0xdfff;
}
