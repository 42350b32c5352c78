/**
 * Writes a parsed pattern (regex-syntax.ts) out for an engine: RE2's syntax for the linear
 * engine, or, for the few shapes whose backtracking is provably linear, JavaScript's own
 * syntax for V8. Classes are written as explicit ranges, so `\w`, `\d`, `\s` keep rg's
 * Unicode meaning in both.
 */
import { intersect, subtract, union, type CodePointSet } from './code-point-set';
import type { RegexNode } from './regex-syntax';

/** RE2 refuses a repetition count above this, also as the product of nested counts. */
const RE2_MAX_REPEAT = 1000;

/**
 * Code points standing for "a position" in the marked form of a line (see markedLine): one
 * per pair of (Unicode word boundary?, ASCII word boundary?), bit 1 Unicode, bit 0 ASCII.
 */
export type Markers = readonly [number, number, number, number];

/** Letters and digits stand for themselves in both syntaxes; everything else is escaped by number. */
function isPlain(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function re2Code(code: number): string {
  return isPlain(code) ? String.fromCharCode(code) : `\\x{${code.toString(16)}}`;
}

function re2Set(set: CodePointSet): string {
  return set.map(([low, high]) => (low === high ? re2Code(low) : `${re2Code(low)}-${re2Code(high)}`)).join('');
}

function re2Class(set: CodePointSet, negated: boolean): string {
  if (set.length === 0) {
    return negated ? String.raw`[\x{0}-\x{10ffff}]` : String.raw`[^\x{0}-\x{10ffff}]`;
  }
  return `[${negated ? '^' : ''}${re2Set(set)}]`;
}

function folded(source: string, ignoreCase: boolean): string {
  return ignoreCase ? `(?i:${source})` : source;
}

/**
 * The RE2 form of `node`. With `markers`, the form that matches the marked line instead: each
 * character is followed by its position's marker, and `\b`/`\B` look back at that marker.
 */
export function re2Source(node: RegexNode, markers: Markers | null = null): string {
  return new Re2Writer(markers, false).write(node, 1);
}

/**
 * The RE2 form of `node` that means the same on a line of ASCII characters only: classes keep
 * just the members such a line can hold, so `\w` is 4 ranges instead of 800. The engine's
 * per-character cost grows with a class's size (its NFA is most of a regex search's time).
 */
export function re2AsciiSource(node: RegexNode): string {
  return new Re2Writer(null, true).write(node, 1);
}

/** ASCII, plus the two characters case folding takes into it (LONG S to s, KELVIN SIGN to k). */
const ASCII_SET: CodePointSet = [[0, 0x7f]];
const FOLDS_TO_ASCII: CodePointSet = [
  [0, 0x7f],
  [0x17f, 0x17f],
  [0x212a, 0x212a],
];

class Re2Writer {
  private readonly markerSet: CodePointSet;
  private readonly afterAtom: string;

  constructor(
    private readonly markers: Markers | null,
    private readonly asciiOnly: boolean,
  ) {
    this.markerSet =
      markers === null
        ? []
        : union(
            [],
            markers.map((code) => [code, code] as const),
          );
    this.afterAtom = markers === null ? '' : re2Class(this.markerSet, false);
  }

  /** `product` is the product of the repetition counts around `node` (RE2 bounds it). */
  write(node: RegexNode, product: number): string {
    switch (node.kind) {
      case 'empty':
        return '(?:)';
      case 'char':
        if (this.markers !== null && this.markers.includes(node.code)) {
          return re2Class([], false);
        }
        return `(?:${folded(re2Code(node.code), node.ignoreCase)}${this.afterAtom})`;
      case 'class': {
        // Markers never match a class: out of its members, or into a negated class's.
        const members = this.asciiOnly ? intersect(node.set, node.ignoreCase ? FOLDS_TO_ASCII : ASCII_SET) : node.set;
        const set = node.negated ? union(members, this.markerSet) : subtract(members, this.markerSet);
        return `(?:${folded(re2Class(set, node.negated), node.ignoreCase)}${this.afterAtom})`;
      }
      case 'assert':
        return this.assertion(node.what, node.unicode);
      case 'concat':
        return node.nodes.map((child) => this.write(child, product)).join('');
      case 'alternate':
        return `(?:${node.nodes.map((child) => this.write(child, product)).join('|')})`;
      case 'repeat':
        return this.repeat(node, product);
    }
  }

  private assertion(what: 'start' | 'end' | 'word' | 'notWord', unicode: boolean): string {
    if (this.markers === null) {
      return { start: '^', end: '$', word: String.raw`\b`, notWord: String.raw`\B` }[what];
    }
    const [none, ascii, unicodeOnly, both] = this.markers;
    switch (what) {
      case 'start':
        // The marked line starts with the marker of position 0.
        return `^${this.afterAtom}`;
      case 'end':
        return '$';
      case 'word':
        return `(?<=${re2Class(unicode ? setOfCodes(unicodeOnly, both) : setOfCodes(ascii, both), false)})`;
      case 'notWord':
        return `(?<=${re2Class(unicode ? setOfCodes(none, ascii) : setOfCodes(none, unicodeOnly), false)})`;
    }
  }

  private repeat(node: Extract<RegexNode, { kind: 'repeat' }>, product: number): string {
    const lazy = node.greedy ? '' : '?';
    const count = Math.max(node.min, node.max ?? 0, 1);
    if (count * product <= RE2_MAX_REPEAT) {
      const inner = `(?:${this.write(node.node, product * count)})`;
      if (node.max === null) {
        return node.min === 0 ? `${inner}*${lazy}` : node.min === 1 ? `${inner}+${lazy}` : `${inner}{${node.min},}${lazy}`;
      }
      return node.min === node.max ? `${inner}{${node.min}}` : `${inner}{${node.min},${node.max}}${lazy}`;
    }
    // Past RE2's bound the copies are written out (the size limit keeps them few).
    const inner = `(?:${this.write(node.node, product)})`;
    let out = inner.repeat(node.min);
    if (node.max === null) {
      return `${out}${inner}*${lazy}`;
    }
    let optional = '';
    for (let index = node.min; index < node.max; index += 1) {
      optional = `(?:${inner}${optional})?${lazy}`;
    }
    out += optional;
    return out;
  }
}

function setOfCodes(...codes: number[]): CodePointSet {
  return union(
    [],
    codes.map((code) => [code, code] as const),
  );
}

/** The word-boundary flavours a pattern uses: the marked form is needed only for Unicode ones. */
export function usesUnicodeBoundary(node: RegexNode): boolean {
  switch (node.kind) {
    case 'assert':
      return node.unicode && (node.what === 'word' || node.what === 'notWord');
    case 'repeat':
      return usesUnicodeBoundary(node.node);
    case 'concat':
    case 'alternate':
      return node.nodes.some(usesUnicodeBoundary);
    default:
      return false;
  }
}

/**
 * `node` with its Unicode word-boundary assertions taken out: it matches wherever `node` does
 * (and more), and needs no look-behind, so the engine's DFA can rule a line out before the
 * marked form, which only its NFA runs, is built and matched.
 */
export function withoutUnicodeBoundaries(node: RegexNode): RegexNode {
  switch (node.kind) {
    case 'assert':
      return node.unicode && (node.what === 'word' || node.what === 'notWord') ? { kind: 'empty' } : node;
    case 'repeat':
      return { ...node, node: withoutUnicodeBoundaries(node.node) };
    case 'concat':
    case 'alternate':
      return { kind: node.kind, nodes: node.nodes.map(withoutUnicodeBoundaries) };
    default:
      return node;
  }
}

const V8_WORD = String.raw`[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]`;
const V8_UNICODE_BOUNDARY = `(?:(?<=${V8_WORD})(?!${V8_WORD})|(?<!${V8_WORD})(?=${V8_WORD}))`;
const V8_UNICODE_NOT_BOUNDARY = `(?:(?<=${V8_WORD})(?=${V8_WORD})|(?<!${V8_WORD})(?!${V8_WORD}))`;

function v8Code(code: number): string {
  return isPlain(code) ? String.fromCharCode(code) : `\\u{${code.toString(16)}}`;
}

function v8Class(set: CodePointSet, negated: boolean, asciiOnly: boolean): string {
  const members = asciiOnly ? subtract(set, [[0x80, 0x10ffff]]) : set;
  if (members.length === 0) {
    return negated ? String.raw`[\u{0}-\u{10ffff}]` : '[]';
  }
  return `[${negated ? '^' : ''}${members.map(([low, high]) => (low === high ? v8Code(low) : `${v8Code(low)}-${v8Code(high)}`)).join('')}]`;
}

/** A pattern for V8, with the flags it needs, and a cheaper form valid on ASCII lines. */
export interface V8Form {
  readonly unicode: RegExp;
  /** The same matches on an all-ASCII line; null when there is no cheaper form. */
  readonly ascii: RegExp | null;
}

/**
 * The V8 form of `node` when its backtracking is provably linear in the line's length, else
 * null. Such a pattern is a fixed sequence of characters, classes and assertions, optionally
 * ending with one repeated character or class (`\w+`, `foo\w*`, `\bfoo\b`): each attempt
 * then costs at most the pattern's length plus, on success, the characters it consumes, and
 * the next attempt starts after them. Anything else (alternation, a repetition followed by
 * more, nested repetition) can backtrack super-linearly and goes to the linear engine.
 */
export function linearV8Form(node: RegexNode): V8Form | null {
  const items = node.kind === 'concat' ? node.nodes : [node];
  let ignoreCase: boolean | null = null;
  for (const [index, item] of items.entries()) {
    const last = index === items.length - 1;
    const atom = item.kind === 'repeat' && last && item.max === null && item.min <= 1 ? item.node : item;
    if (atom.kind === 'char' || atom.kind === 'class') {
      if (ignoreCase !== null && ignoreCase !== atom.ignoreCase) {
        return null;
      }
      ignoreCase = atom.ignoreCase;
    } else if (atom.kind === 'assert') {
      if ((atom.what === 'start' && index !== 0) || (atom.what === 'end' && !last) || atom !== item) {
        return null;
      }
    } else if (atom.kind !== 'empty' || atom !== item) {
      return null;
    }
  }
  const write = (asciiOnly: boolean): string => items.map((item) => v8Item(item, asciiOnly)).join('');
  const flags = ignoreCase === true ? 'iu' : 'u';
  const unicode = new RegExp(write(false), flags);
  // Case folding reaches ASCII from outside it (KELVIN SIGN), so the ASCII form is for exact case only.
  return { unicode, ascii: ignoreCase === true ? null : new RegExp(write(true), flags) };
}

function v8Item(node: RegexNode, asciiOnly: boolean): string {
  switch (node.kind) {
    case 'char':
      return v8Code(node.code);
    case 'class':
      return v8Class(node.set, node.negated, asciiOnly);
    case 'assert':
      if (node.what === 'start' || node.what === 'end') {
        return node.what === 'start' ? '^' : '$';
      }
      if (!node.unicode || asciiOnly) {
        return node.what === 'word' ? String.raw`\b` : String.raw`\B`;
      }
      return node.what === 'word' ? V8_UNICODE_BOUNDARY : V8_UNICODE_NOT_BOUNDARY;
    case 'repeat':
      return `(?:${v8Item(node.node, asciiOnly)})${node.min === 0 ? '*' : '+'}${node.greedy ? '' : '?'}`;
    default:
      return '';
  }
}
