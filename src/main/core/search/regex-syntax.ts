/**
 * ripgrep's regex syntax (Rust's `regex` crate, as rg 13 accepts it) parsed into a small
 * tree whose character classes are already resolved to code point sets. Everything the
 * search does with a pattern starts here: the engine's pattern (regex-emit.ts), the literals
 * for the trigram lookup (regex-literals.ts). Errors carry rg's own wording, so a pattern
 * rg refuses is refused here with the same reason.
 *
 * Line-oriented like rg: no class matches the newline (rg removes it from `\s`, `[^a]`, `.`),
 * a literal newline is refused, and `^ $ \A \z` are the line's start and end.
 */
import { AppError } from '../base/errors';
import { asciiCaseClosure, complement, intersect, subtract, symmetricDifference, union, type CodePointSet } from './code-point-set';
import { perlClass, posixClass, propertyClass, type PerlClass } from './unicode-classes';

export type Assertion = 'start' | 'end' | 'word' | 'notWord';

export type RegexNode =
  | { readonly kind: 'empty' }
  | { readonly kind: 'char'; readonly code: number; readonly ignoreCase: boolean }
  /** Matches one character of `set` (or, `negated`, one not in it); never the newline. */
  | { readonly kind: 'class'; readonly set: CodePointSet; readonly negated: boolean; readonly ignoreCase: boolean }
  /** `unicode` says which `\w` a word boundary uses. */
  | { readonly kind: 'assert'; readonly what: Assertion; readonly unicode: boolean }
  | { readonly kind: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number | null; readonly greedy: boolean }
  | { readonly kind: 'concat'; readonly nodes: readonly RegexNode[] }
  | { readonly kind: 'alternate'; readonly nodes: readonly RegexNode[] };

const NEWLINE = 0x0a;
const NEWLINE_SET: CodePointSet = [[NEWLINE, NEWLINE]];

interface Flags {
  readonly i: boolean;
  readonly s: boolean;
  readonly U: boolean;
  readonly u: boolean;
  readonly x: boolean;
}

const DEFAULT_FLAGS: Flags = { i: false, s: false, U: false, u: true, x: false };

/** Characters a backslash may escape outside verbose mode (Rust's `is_meta_character`). */
const META = new Set('\\.+*?()|[]{}^$#&-~');
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
const LOOKAROUND = 'look-around, including look-ahead and look-behind, is not supported';
/**
 * rg's (?-u) makes `.`, negated classes and escapes above \x7F match single bytes, also one byte
 * of a character or a byte that is not UTF-8. The index holds text (invalid UTF-8 decoded), so
 * such a pattern cannot be matched as rg matches it and is refused; ASCII classes, `\b` and
 * ASCII case folding mean the same on bytes and on characters and are kept.
 */
const BYTES = 'with (?-u), ".", negated classes and escapes above \\x7F match single bytes, which this search cannot match as rg does (it matches characters); remove (?-u) or keep to ASCII classes';
const ASCII_SET: CodePointSet = [[0, 0x7f]];

/** Parses `pattern` as rg does; `ignoreCase` is rg's `-i`. Throws an `invalid_regex` AppError. */
export function parseRegex(pattern: string, ignoreCase = false): RegexNode {
  try {
    return new Parser(pattern, { ...DEFAULT_FLAGS, i: ignoreCase }).parse();
  } catch (error) {
    if (error instanceof AppError) {
      throw new AppError('invalid_regex', `Invalid regular expression "${pattern}": ${error.message}`);
    }
    throw error;
  }
}

function fail(reason: string): never {
  throw new AppError('invalid_regex', reason);
}

class Parser {
  private readonly chars: string[];
  private index = 0;
  private readonly names = new Set<string>();

  constructor(
    pattern: string,
    private flags: Flags,
  ) {
    this.chars = [...pattern];
  }

  parse(): RegexNode {
    const node = this.alternation();
    if (this.index < this.chars.length) {
      fail('unopened group');
    }
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.index + offset];
  }

  /** In verbose mode, skips whitespace and `#` comments. */
  private skipVerbose(): void {
    while (this.flags.x) {
      const char = this.peek();
      if (char !== undefined && /\s/u.test(char)) {
        this.index += 1;
      } else if (char === '#') {
        while (this.index < this.chars.length && this.peek() !== '\n') {
          this.index += 1;
        }
      } else {
        return;
      }
    }
  }

  private alternation(): RegexNode {
    const saved = this.flags;
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.index += 1;
      branches.push(this.sequence());
    }
    // Flags set inside a group end with it.
    this.flags = saved;
    return branches.length === 1 ? (branches[0] as RegexNode) : { kind: 'alternate', nodes: branches };
  }

  private sequence(): RegexNode {
    const nodes: RegexNode[] = [];
    for (;;) {
      this.skipVerbose();
      const char = this.peek();
      if (char === undefined || char === '|' || char === ')') {
        break;
      }
      if (char === '*' || char === '+' || char === '?' || char === '{') {
        const last = nodes.pop();
        if (last === undefined) {
          fail('repetition operator missing expression');
        }
        nodes.push(this.repetition(last));
        continue;
      }
      const atom = this.atom();
      if (atom !== null) {
        nodes.push(atom);
      }
    }
    return nodes.length === 0 ? { kind: 'empty' } : nodes.length === 1 ? (nodes[0] as RegexNode) : { kind: 'concat', nodes };
  }

  private repetition(node: RegexNode): RegexNode {
    const char = this.chars[this.index] as string;
    this.index += 1;
    let min = 0;
    let max: number | null = null;
    if (char === '+') {
      min = 1;
    } else if (char === '?') {
      max = 1;
    } else if (char === '{') {
      min = this.decimal();
      max = min;
      if (this.peek() === ',') {
        this.index += 1;
        max = this.peek() === '}' ? null : this.decimal();
      }
      if (this.peek() !== '}') {
        fail(this.index >= this.chars.length ? 'unclosed counted repetition' : 'repetition quantifier expects a valid decimal');
      }
      this.index += 1;
      if (max !== null && min > max) {
        fail('invalid repetition count range, the start must be <= the end');
      }
    }
    let greedy = true;
    if (this.peek() === '?') {
      this.index += 1;
      greedy = false;
    }
    return { kind: 'repeat', node, min, max, greedy: greedy !== this.flags.U };
  }

  private decimal(): number {
    const start = this.index;
    while (/^[0-9]$/.test(this.peek() ?? '')) {
      this.index += 1;
    }
    if (start === this.index) {
      fail(this.index >= this.chars.length ? 'unclosed counted repetition' : 'repetition quantifier expects a valid decimal');
    }
    const value = Number(this.chars.slice(start, this.index).join(''));
    if (!Number.isSafeInteger(value) || value > 0xffffffff) {
      fail('repetition quantifier expects a valid decimal');
    }
    return value;
  }

  /** One atom, or null for a flag group `(?i)` that only changes the flags. */
  private atom(): RegexNode | null {
    const char = this.chars[this.index] as string;
    this.index += 1;
    switch (char) {
      case '(':
        return this.group();
      case '[':
        return this.classNode(this.characterClass());
      case '\\':
        return this.escape();
      case '.':
        if (!this.flags.u) {
          fail(BYTES);
        }
        return { kind: 'class', set: NEWLINE_SET, negated: true, ignoreCase: false };
      case '^':
        return { kind: 'assert', what: 'start', unicode: this.flags.u };
      case '$':
        return { kind: 'assert', what: 'end', unicode: this.flags.u };
      default:
        return this.literal(char.codePointAt(0) as number);
    }
  }

  private literal(code: number): RegexNode {
    if (code === NEWLINE) {
      fail('the literal "\\n" is not allowed in a regex');
    }
    if (!this.flags.u && code > 0x7f) {
      fail('Unicode not allowed here');
    }
    if (!this.flags.u && this.flags.i) {
      // ASCII case folding only: KELVIN SIGN is not a k under (?-u).
      return this.classNode({ set: [[code, code]], negated: false });
    }
    return { kind: 'char', code, ignoreCase: this.flags.i };
  }

  private classNode(parsed: { set: CodePointSet; negated: boolean }): RegexNode {
    // The newline is never matched: kept out of a class, added to a negated one's members.
    const set = parsed.negated ? union(parsed.set, NEWLINE_SET) : subtract(parsed.set, NEWLINE_SET);
    if (!this.flags.u) {
      if (parsed.negated || subtract(set, ASCII_SET).length > 0) {
        fail(BYTES);
      }
      return { kind: 'class', set: this.flags.i ? asciiCaseClosure(set) : set, negated: false, ignoreCase: false };
    }
    return { kind: 'class', set, negated: parsed.negated, ignoreCase: this.flags.i };
  }

  private group(): RegexNode | null {
    if (this.peek() !== '?') {
      return this.groupBody();
    }
    this.index += 1;
    const next = this.peek();
    if (next === '=' || next === '!' || (next === '<' && (this.peek(1) === '=' || this.peek(1) === '!'))) {
      fail(LOOKAROUND);
    }
    if (next === 'P' && this.peek(1) === '<') {
      this.index += 2;
      this.captureName();
      return this.groupBody();
    }
    return this.flagGroup();
  }

  private captureName(): void {
    const start = this.index;
    while (this.index < this.chars.length && this.peek() !== '>') {
      this.index += 1;
    }
    if (this.index >= this.chars.length) {
      fail('unclosed capture group name');
    }
    const name = this.chars.slice(start, this.index).join('');
    this.index += 1;
    if (name === '') {
      fail('empty capture group name');
    }
    if (!/^[A-Za-z_][A-Za-z0-9_.[\]]*$/.test(name)) {
      fail('invalid capture group character');
    }
    if (this.names.has(name)) {
      fail('duplicate capture group name');
    }
    this.names.add(name);
  }

  private groupBody(): RegexNode {
    const inner = this.alternation();
    if (this.peek() !== ')') {
      fail('unclosed group');
    }
    this.index += 1;
    return inner;
  }

  /** After `(?`: flags, then `)` (they hold to the end of the enclosing group) or `:` and a group. */
  private flagGroup(): RegexNode | null {
    let flags = { ...this.flags };
    let negate = false;
    let dangling = false;
    const seen = new Set<string>();
    for (;;) {
      const char = this.peek();
      if (char === undefined) {
        fail('unclosed group');
      }
      this.index += 1;
      if (char === ')' || char === ':') {
        if (dangling) {
          fail('dangling flag negation operator');
        }
        if (char === ')' && seen.size === 0 && !negate) {
          fail('repetition operator missing expression');
        }
        if (char === ')') {
          this.flags = flags;
          return null;
        }
        const saved = this.flags;
        this.flags = flags;
        const inner = this.groupBody();
        this.flags = saved;
        return inner;
      }
      if (char === '-') {
        if (negate) {
          fail('duplicate negation operator');
        }
        negate = true;
        dangling = true;
        continue;
      }
      if (!'imsUux'.includes(char)) {
        fail('unrecognized flag');
      }
      if (seen.has(char)) {
        fail('duplicate flag');
      }
      seen.add(char);
      dangling = false;
      // `m` changes nothing line by line: `^ $` are the line's ends either way.
      if (char !== 'm') {
        flags = { ...flags, [char]: !negate };
      }
    }
  }

  private escape(): RegexNode {
    const char = this.peek();
    if (char === undefined) {
      fail('incomplete escape sequence, reached end of pattern prematurely');
    }
    switch (char) {
      case 'b':
        this.index += 1;
        return { kind: 'assert', what: 'word', unicode: this.flags.u };
      case 'B':
        this.index += 1;
        return { kind: 'assert', what: 'notWord', unicode: this.flags.u };
      case 'A':
        this.index += 1;
        return { kind: 'assert', what: 'start', unicode: this.flags.u };
      case 'z':
        this.index += 1;
        return { kind: 'assert', what: 'end', unicode: this.flags.u };
      default: {
        const item = this.escapeItem();
        return typeof item === 'number' ? this.literal(item) : this.classNode(item);
      }
    }
  }

  /** After a `\`: a character (its code) or a class (`\d`, `\pL`, ...), as in and out of classes. */
  private escapeItem(): number | { set: CodePointSet; negated: boolean } {
    const char = this.chars[this.index] as string;
    this.index += 1;
    const control = CONTROL_ESCAPES[char];
    if (control !== undefined) {
      return control;
    }
    if (META.has(char) || (this.flags.x && char === ' ')) {
      return char.codePointAt(0) as number;
    }
    if (/^[0-9]$/.test(char)) {
      fail('backreferences are not supported');
    }
    if (char === 'x' || char === 'u' || char === 'U') {
      return this.hexEscape(char === 'x' ? 2 : char === 'u' ? 4 : 8);
    }
    if (char === 'd' || char === 's' || char === 'w') {
      return { set: perlClass(char, this.flags.u), negated: false };
    }
    if (char === 'D' || char === 'S' || char === 'W') {
      return { set: perlClass(char.toLowerCase() as PerlClass, this.flags.u), negated: true };
    }
    if (char === 'p' || char === 'P') {
      return this.property(char === 'P');
    }
    fail('unrecognized escape sequence');
  }

  private hexEscape(digits: number): number {
    let text: string;
    if (this.peek() === '{') {
      const close = this.chars.indexOf('}', this.index);
      if (close === -1) {
        fail('unclosed hexadecimal literal');
      }
      text = this.chars.slice(this.index + 1, close).join('');
      this.index = close + 1;
    } else {
      text = this.chars.slice(this.index, this.index + digits).join('');
      this.index += digits;
      if (text.length < digits) {
        fail('incomplete escape sequence, reached end of pattern prematurely');
      }
    }
    if (!/^[0-9A-Fa-f]{1,8}$/.test(text)) {
      fail(text === '' ? 'hexadecimal literal empty' : 'hexadecimal literal is not a Unicode scalar value');
    }
    const code = Number.parseInt(text, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      fail('hexadecimal literal is not a Unicode scalar value');
    }
    if (!this.flags.u && code > 0x7f) {
      fail(BYTES);
    }
    return code;
  }

  private property(negated: boolean): { set: CodePointSet; negated: boolean } {
    let name: string;
    if (this.peek() === '{') {
      const close = this.chars.indexOf('}', this.index);
      if (close === -1) {
        fail('unclosed Unicode class literal');
      }
      name = this.chars.slice(this.index + 1, close).join('');
      this.index = close + 1;
    } else {
      name = this.peek() ?? '';
      this.index += 1;
      if (name === '') {
        fail('incomplete escape sequence, reached end of pattern prematurely');
      }
    }
    if (!this.flags.u) {
      fail('Unicode not allowed here');
    }
    let inverted = negated;
    if (name.startsWith('^')) {
      inverted = !inverted;
      name = name.slice(1);
    }
    return { set: propertyClass(name), negated: inverted };
  }

  /** After a `[`: the class's members and whether it is negated, set operations applied. */
  private characterClass(): { set: CodePointSet; negated: boolean } {
    let negated = false;
    this.skipVerbose();
    if (this.peek() === '^') {
      negated = true;
      this.index += 1;
    }
    let result: CodePointSet | null = null;
    let operator: string | null = null;
    let members: CodePointSet = [];
    let empty = true;
    let first = true;
    for (;;) {
      this.skipVerbose();
      const char = this.peek();
      if (char === undefined) {
        fail('unclosed character class');
      }
      if (char === ']' && !first) {
        this.index += 1;
        break;
      }
      const pair = char + (this.peek(1) ?? '');
      if (!first && (pair === '&&' || pair === '--' || pair === '~~')) {
        if (empty && result === null && operator === null) {
          fail('empty character classes are not allowed');
        }
        result = combine(result, operator, members, empty);
        operator = pair;
        members = [];
        empty = true;
        this.index += 2;
        continue;
      }
      first = false;
      members = union(members, this.classItem());
      empty = false;
    }
    if (operator !== null && empty) {
      fail('empty character classes are not allowed');
    }
    const set = combine(result, operator, members, empty);
    return { set, negated };
  }

  private classItem(): CodePointSet {
    const char = this.chars[this.index] as string;
    if (char === '[') {
      const posix = this.posixItem();
      if (posix !== null) {
        return posix;
      }
      this.index += 1;
      const nested = this.characterClass();
      return nested.negated ? complement(nested.set) : nested.set;
    }
    const low = this.classAtom();
    if (typeof low !== 'number') {
      return low.negated ? complement(low.set) : low.set;
    }
    this.skipVerbose();
    if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
      this.index += 1;
      this.skipVerbose();
      const high = this.classAtom();
      if (typeof high !== 'number') {
        fail('invalid range boundary, must be a literal');
      }
      if (high < low) {
        fail('invalid character class range, the start must be <= the end');
      }
      return [[low, high]];
    }
    return [[low, low]];
  }

  /** `[:alpha:]` or `[:^alpha:]` at the current `[`, or null (then it opens a nested class). */
  private posixItem(): CodePointSet | null {
    const rest = this.chars.slice(this.index, this.index + 16).join('');
    const match = /^\[:(\^?)([a-z]+):\]/.exec(rest);
    const set = match === null ? null : posixClass(match[2] as string);
    if (match === null || set === null) {
      return null;
    }
    this.index += [...match[0]].length;
    return match[1] === '^' ? complement(set) : set;
  }

  private classAtom(): number | { set: CodePointSet; negated: boolean } {
    const char = this.chars[this.index] as string;
    this.index += 1;
    if (char !== '\\') {
      return char.codePointAt(0) as number;
    }
    const escaped = this.peek();
    if (escaped === undefined) {
      fail('incomplete escape sequence, reached end of pattern prematurely');
    }
    if ('bBAz'.includes(escaped)) {
      fail('invalid escape sequence found in character class');
    }
    return this.escapeItem();
  }
}

function combine(left: CodePointSet | null, operator: string | null, right: CodePointSet, empty: boolean): CodePointSet {
  if (left === null || operator === null) {
    return empty ? [] : right;
  }
  switch (operator) {
    case '&&':
      return intersect(left, right);
    case '--':
      return subtract(left, right);
    default:
      return symmetricDifference(left, right);
  }
}

/** A rough count of the engine instructions a tree compiles to, for the size limit. */
export function regexSize(node: RegexNode): number {
  switch (node.kind) {
    case 'empty':
    case 'assert':
    case 'char':
      return 1;
    case 'class':
      // A class of many ranges costs more to build and to test.
      return 1 + Math.floor(node.set.length / 256);
    case 'concat':
    case 'alternate':
      return node.nodes.reduce((sum, child) => sum + regexSize(child), 1);
    case 'repeat':
      return 1 + regexSize(node.node) * Math.max(1, node.max ?? node.min);
  }
}
