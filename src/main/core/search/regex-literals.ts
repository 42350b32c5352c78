/**
 * What literal text every match of a pattern must contain, as a boolean query over strings
 * (after Russ Cox's "Regular Expression Matching with a Trigram Index"): `use[A-Z]\w+State`
 * needs "use" AND "State", `(foo|bar)baz` needs "foobaz" OR "barbaz". The analysis is
 * conservative: whatever it does not understand becomes `all` (no requirement), so the
 * query may admit more lines than the regex matches, never fewer.
 */
import { compilesWithU } from './unicode-classes';

export type LiteralQuery =
  | { readonly kind: 'all' }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'and'; readonly parts: readonly LiteralQuery[] }
  | { readonly kind: 'or'; readonly parts: readonly LiteralQuery[] };

export const ALL: LiteralQuery = { kind: 'all' };

/**
 * Exact sets bigger than this become queries: cross products grow fast. Every exact set is
 * kept at or under it. Larger sets would only pay with a case-sensitive index: with case
 * folded, `use[A-Z]` as useA ... useZ narrows nothing beyond "use" and costs 26 lookups.
 */
const MAX_EXACT = 16;
/** Character classes with at most this many members are exact sets. */
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

/**
 * The literal query every match of the JavaScript regular expression `pattern` satisfies.
 * The pattern is read the way `compileRegex` (line-matcher.ts) compiles it: with the `u` flag
 * when that is valid, else without. Case is not considered here: with ignore-case the caller
 * folds the strings.
 */
export function regexQuery(pattern: string): LiteralQuery {
  const parser = new Parser(pattern, compilesWithU(pattern));
  const info = parser.alternation();
  // Anything left over (an unbalanced `)`) means the parse went wrong: require nothing.
  return parser.done() ? toQuery(info) : ALL;
}

const CONTROLS: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };

/** One character a class may hold, or null for a class escape (\w, \p{..}) or anything unsure. */
type ClassAtom = string | null;

class Parser {
  /**
   * Code points with the `u` flag, else UTF-16 code units (a quantifier after an astral
   * character then applies to its low surrogate only).
   */
  private readonly chars: string[];
  private index = 0;

  constructor(
    pattern: string,
    private readonly unicode: boolean,
  ) {
    this.chars = unicode ? [...pattern] : pattern.split('');
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
      // The cross product is bounded before it is built: the run never exceeds MAX_EXACT.
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
      if (atom.exact === null) {
        return ANY;
      }
      const exact = [...new Set([...atom.exact, ''])];
      // Optional, so it requires nothing on its own: too big a set is simply dropped.
      return exact.length <= MAX_EXACT ? { exact, query: ALL } : ANY;
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

  /**
   * After the `[`: a class of at most MAX_CLASS characters, listed or as ranges (`[A-Z]`,
   * `[a-f0-9_]`, `[\-.]`), is an exact set of single characters. Anything else matches
   * anything: negated classes, class escapes (\w \d \s \p{..}), a nested `[`, surrogates.
   * As in JavaScript, `]` right after `[` or `[^` ends the class (`[]` matches nothing).
   */
  private characterClass(): Info {
    const members = new Set<string>();
    let simple = true;
    if (this.chars[this.index] === '^') {
      simple = false;
      this.index += 1;
    }
    while (this.index < this.chars.length && this.chars[this.index] !== ']') {
      const low = this.classAtom();
      // A `-` right before the `]` (or first, or right after a range) is a member.
      if (this.chars[this.index] === '-' && this.index + 1 < this.chars.length && this.chars[this.index + 1] !== ']') {
        this.index += 1;
        const high = this.classAtom();
        const from = low?.codePointAt(0);
        const to = high?.codePointAt(0);
        // A reversed range is a syntax error; a long one is too big a set either way.
        if (from === undefined || to === undefined || from > to || to - from >= MAX_CLASS) {
          simple = false;
          continue;
        }
        for (let code = from; code <= to; code += 1) {
          members.add(String.fromCodePoint(code));
        }
      } else if (low === null) {
        simple = false;
      } else {
        members.add(low);
      }
    }
    if (this.index >= this.chars.length) {
      // Unterminated: a syntax error.
      return ANY;
    }
    this.index += 1;
    if (!simple || members.size === 0 || members.size > MAX_CLASS || [...members].some(isSurrogate)) {
      return ANY;
    }
    return { exact: [...members], query: ALL };
  }

  /** One member of a class: a character, or null for what is not a single known character. */
  private classAtom(): ClassAtom {
    const char = this.chars[this.index] as string;
    this.index += 1;
    if (char === '\\') {
      const escaped = this.chars[this.index];
      if (escaped === 'b') {
        // Inside a class, \b is a backspace.
        this.index += 1;
        return '\b';
      }
      return this.characterEscape();
    }
    // Without the v flag `[` is a plain member, but give up rather than guess the syntax.
    return char === '[' ? null : char;
  }

  /**
   * After a `\`: the one character a character escape stands for (\n, \x41, \u00e9, \cJ, \.),
   * or null for anything else (classes, back references, \b, what the mode leaves unsure).
   * Consumes the whole escape; a class, back reference or \k<name> is skipped by the caller.
   */
  private characterEscape(): ClassAtom {
    const char = this.chars[this.index];
    if (char === undefined) {
      return null;
    }
    this.index += 1;
    const control = CONTROLS[char];
    if (control !== undefined) {
      return control;
    }
    if (char === 'c') {
      const letter = this.chars[this.index] ?? '';
      if (!/^[A-Za-z]$/.test(letter)) {
        // Without the u flag a `\` then `c`: require nothing for them.
        return null;
      }
      this.index += 1;
      return String.fromCharCode(letter.charCodeAt(0) % 32);
    }
    if (char === '0' && !/^[0-9]$/.test(this.chars[this.index] ?? '')) {
      return '\0';
    }
    if (/^[0-9]$/.test(char)) {
      // A back reference or (without the u flag) an octal escape: all its digits.
      while (/^[0-9]$/.test(this.chars[this.index] ?? '')) {
        this.index += 1;
      }
      return null;
    }
    if (char === 'x' || char === 'u') {
      return this.hexEscape(char);
    }
    if (/^[A-Za-z]$/.test(char)) {
      return null;
    }
    return char;
  }

  /** \xHH, \uHHHH, and with the u flag \u{H...}; null when the digits are not there. */
  private hexEscape(char: 'x' | 'u'): ClassAtom {
    let digits: string | null = null;
    if (char === 'u' && this.unicode && this.chars[this.index] === '{') {
      const close = this.chars.indexOf('}', this.index);
      const body = close === -1 ? '' : this.chars.slice(this.index + 1, close).join('');
      if (/^[0-9A-Fa-f]+$/.test(body)) {
        digits = body;
        this.index = close + 1;
      }
    } else {
      const length = char === 'x' ? 2 : 4;
      const body = this.chars.slice(this.index, this.index + length).join('');
      if (body.length === length && /^[0-9A-Fa-f]+$/.test(body)) {
        digits = body;
        this.index += length;
      }
    }
    if (digits === null) {
      // Without the u flag \x or \u alone is the letter itself (and \u{2} repeats it): unsure.
      return null;
    }
    const code = Number.parseInt(digits, 16);
    // Surrogate halves written as escapes pair up only in some modes: require nothing.
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return null;
    }
    return String.fromCodePoint(code);
  }

  private escape(): Info {
    const char = this.chars[this.index];
    if (char === 'b' || char === 'B') {
      this.index += 1;
      return EMPTY;
    }
    if ((char === 'p' || char === 'P') && this.chars[this.index + 1] === '{') {
      const close = this.chars.indexOf('}', this.index);
      this.index = close === -1 ? this.chars.length : close + 1;
      return ANY;
    }
    if (char === 'k' && this.chars[this.index + 1] === '<') {
      const close = this.chars.indexOf('>', this.index);
      this.index = close === -1 ? this.chars.length : close + 1;
      return ANY;
    }
    const escaped = this.characterEscape();
    return escaped === null ? ANY : { exact: [escaped], query: ALL };
  }
}

/** A lone surrogate, or (without the u flag, where a class holds code units) a half of a pair. */
function isSurrogate(char: string): boolean {
  const code = char.charCodeAt(0);
  return char.length === 1 && code >= 0xd800 && code <= 0xdfff;
}
