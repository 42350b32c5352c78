/**
 * The character sets of ripgrep's classes (Rust's regex, Unicode by default): `\w \d \s`,
 * `\p{..}`, POSIX `[[:alpha:]]`, each as code point ranges. RE2's `\w`, `\d`, `\s`, `\b` are
 * ASCII and it knows few property names, so every class is resolved here and written out
 * as ranges; the Unicode data comes from V8's property escapes (`\p{Alphabetic}`), resolved
 * by one scan over a string of every code point.
 */
import { AppError } from '../base/errors';
import { setOf, type CodePointRange, type CodePointSet } from './code-point-set';

/** rg's `\w` (UTS #18 annex C): Alphabetic, marks, decimal numbers, connector punctuation, joiners. */
const WORD_SOURCE = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`;

export type PerlClass = 'd' | 's' | 'w';

const ASCII_PERL: Readonly<Record<PerlClass, CodePointSet>> = {
  d: [[0x30, 0x39]],
  s: setOf([
    [0x09, 0x0d],
    [0x20, 0x20],
  ]),
  w: setOf([
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ]),
};

const UNICODE_PERL: Readonly<Record<PerlClass, string>> = { d: String.raw`\p{Nd}`, s: String.raw`\p{White_Space}`, w: WORD_SOURCE };

/** `\d`, `\s` or `\w`, Unicode (rg's default) or ASCII (inside `(?-u)`). */
export function perlClass(name: PerlClass, unicode: boolean): CodePointSet {
  return unicode ? v8ClassSet(UNICODE_PERL[name]) : ASCII_PERL[name];
}

/** Whether a code point is a word character for rg's Unicode `\b` (one lookup per char). */
export function isWordCodePoint(code: number): boolean {
  if (code < 0x80) {
    return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || (code >= 0x61 && code <= 0x7a);
  }
  return WORD_CHAR.test(String.fromCodePoint(code));
}

const WORD_CHAR = new RegExp(`^[${WORD_SOURCE}]$`, 'u');

/** The ASCII classes of `[[:name:]]`, as Rust's regex defines them. */
const POSIX: Readonly<Record<string, readonly CodePointRange[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** A POSIX class by name, or null when the name is not one (rg then reads `[:..:]` as a nested class). */
export function posixClass(name: string): CodePointSet | null {
  const ranges = POSIX[name];
  return ranges === undefined ? null : setOf(ranges);
}

/** Names rg matches loosely (UAX #44 LM3) that V8 spells otherwise. */
const PROPERTY_ALIASES: Readonly<Record<string, string>> = {
  whitespace: 'White_Space',
  space: 'White_Space',
  joincontrol: 'Join_Control',
  word: WORD_SOURCE,
  digit: 'Nd',
  alnum: String.raw`\p{Alphabetic}\p{Nd}`,
};

/** Which V8 prefix an rg `name=value` property name stands for. */
const PROPERTY_KEYS: Readonly<Record<string, string>> = {
  sc: 'Script',
  script: 'Script',
  scx: 'Script_Extensions',
  scriptextensions: 'Script_Extensions',
  gc: 'General_Category',
  generalcategory: 'General_Category',
};

/** The set of `\p{name}` (`\pL`, `\p{Greek}`, `\p{sc=Greek}`, `\p{Alphabetic}`), as rg resolves names. */
export function propertyClass(name: string): CodePointSet {
  const separator = name.search(/[=:]/);
  const key = separator === -1 ? null : loose(name.slice(0, separator));
  const value = separator === -1 ? name : name.slice(separator + 1);
  const candidates: string[] = [];
  if (key !== null) {
    const prefix = PROPERTY_KEYS[key];
    if (prefix === undefined) {
      throw new AppError('invalid_regex', 'Unicode property not found');
    }
    candidates.push(...spellings(value).map((spelling) => String.raw`\p{${prefix}=${spelling}}`));
  } else {
    const alias = PROPERTY_ALIASES[loose(value)];
    if (alias !== undefined) {
      candidates.push(alias.startsWith('\\') ? alias : String.raw`\p{${alias}}`);
    }
    for (const spelling of spellings(value)) {
      candidates.push(String.raw`\p{${spelling}}`, String.raw`\p{Script=${spelling}}`);
    }
  }
  for (const source of candidates) {
    if (isValidClass(source)) {
      return v8ClassSet(source);
    }
  }
  throw new AppError('invalid_regex', 'Unicode property not found');
}

function loose(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/** The ways V8 may spell a property value a user wrote loosely: as written, Title_Case, upper case. */
function spellings(value: string): string[] {
  const words = value
    .trim()
    .split(/[\s_-]+/)
    .filter((word) => word !== '');
  const title = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join('_');
  return [...new Set([value.trim(), title, value.trim().toUpperCase()])].filter((spelling) => /^[A-Za-z0-9_]+$/.test(spelling));
}

function isValidClass(source: string): boolean {
  try {
    new RegExp(`[${source}]`, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Resolved classes by V8 source; bounded, since property names come from users. */
const resolved = new Map<string, CodePointSet>();
const MAX_RESOLVED = 64;

/**
 * The code points a V8 class body (valid with the `u` flag) matches, without surrogates. One
 * scan of a string holding every code point once: its index maps back to the code point.
 */
export function v8ClassSet(source: string): CodePointSet {
  const known = resolved.get(source);
  if (known !== undefined) {
    return known;
  }
  const all = everyCodePoint();
  const regex = new RegExp(`[${source}]+`, 'gu');
  const ranges: CodePointRange[] = [];
  for (let match = regex.exec(all); match !== null; match = regex.exec(all)) {
    const low = codePointAt(match.index);
    const last = match.index + match[0].length - 1;
    // The last unit of an astral character is its low surrogate: step back to the pair.
    ranges.push([low, codePointAt(last >= ASTRAL_START && (last - ASTRAL_START) % 2 === 1 ? last - 1 : last)]);
  }
  const set = setOf(ranges);
  if (resolved.size >= MAX_RESOLVED) {
    resolved.delete(resolved.keys().next().value as string);
  }
  resolved.set(source, set);
  return set;
}

/** Index in everyCodePoint() where U+E000 and then the astral planes start. */
const BMP_HIGH_START = 0xd800;
const ASTRAL_START = 0xd800 + (0x10000 - 0xe000);

function codePointAt(index: number): number {
  if (index < BMP_HIGH_START) {
    return index;
  }
  if (index < ASTRAL_START) {
    return index + 0x800;
  }
  return 0x10000 + Math.floor((index - ASTRAL_START) / 2);
}

/** About 2.2 M UTF-16 units: held weakly so an idle reader gives the memory back. */
let everyCodePointRef: WeakRef<{ text: string }> | null = null;

function everyCodePoint(): string {
  const cached = everyCodePointRef?.deref();
  if (cached !== undefined) {
    return cached.text;
  }
  const parts: string[] = [];
  const chunk: number[] = [];
  for (let code = 0; code <= 0x10ffff; code += 1) {
    if (code >= 0xd800 && code <= 0xdfff) {
      continue;
    }
    chunk.push(code);
    if (chunk.length === 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk.length = 0;
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  const holder = { text: parts.join('') };
  everyCodePointRef = new WeakRef(holder);
  return holder.text;
}
