/**
 * The character sets of ripgrep's classes (Rust's regex, Unicode by default): `\w \d \s`,
 * `\p{..}`, POSIX `[[:alpha:]]`, each as code point ranges. RE2's `\w`, `\d`, `\s`, `\b` are
 * ASCII and it knows few property names, so every class is resolved here and written out
 * as ranges; the Unicode data comes from V8's property escapes (`\p{Alphabetic}`).
 *
 * Unicode `\w`, `\d`, `\s` and isWordCodePoint (re2js's `\b`) come from a committed table,
 * unicode-tables.ts, which scripts/generate-unicode-tables.ts writes from V8's own escapes:
 * resolving `\w` by a scan of every code point (v8-class-scan.ts) took ~77 ms of each one-shot
 * CLI search, and no faster scan can skip code points without assuming where Unicode puts
 * letters. unicode-tables.test.ts fails, saying to rerun the script, when the running V8's
 * Unicode data differs, so the table never silently drifts from the `\p{..}` escapes that the
 * V8 forms' `\b` (regex-emit.ts) and the rarer properties here still use at run time.
 */
import { AppError } from '../base/errors';
import { contains, setOf, type CodePointRange, type CodePointSet } from './code-point-set';
import { UNICODE_PERL_TABLES } from './unicode-tables';
import { scanV8Class, UNICODE_PERL_SOURCES, type PerlClass } from './v8-class-scan';

export type { PerlClass } from './v8-class-scan';

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

/** A table's pairs of first and last code points as a set. */
function tableSet(pairs: readonly number[]): CodePointSet {
  const ranges: CodePointRange[] = [];
  for (let index = 0; index < pairs.length; index += 2) {
    ranges.push([pairs[index] as number, pairs[index + 1] as number]);
  }
  return ranges;
}

const UNICODE_PERL: Readonly<Record<PerlClass, CodePointSet>> = {
  d: tableSet(UNICODE_PERL_TABLES.d),
  s: tableSet(UNICODE_PERL_TABLES.s),
  w: tableSet(UNICODE_PERL_TABLES.w),
};

/** `\d`, `\s` or `\w`, Unicode (rg's default) or ASCII (inside `(?-u)`). */
export function perlClass(name: PerlClass, unicode: boolean): CodePointSet {
  return unicode ? UNICODE_PERL[name] : ASCII_PERL[name];
}

/** Whether a code point is a word character for rg's Unicode `\b` (one lookup per char). */
export function isWordCodePoint(code: number): boolean {
  if (code < 0x80) {
    return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || (code >= 0x61 && code <= 0x7a);
  }
  return contains(UNICODE_PERL.w, code);
}

const WORD_SOURCE = UNICODE_PERL_SOURCES.w;

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

/** The tabled classes by their V8 source, so `\p{word}` or `\p{Nd}` need no scan either. */
const TABLED = new Map<string, CodePointSet>(Object.entries(UNICODE_PERL_SOURCES).map(([name, source]) => [source, UNICODE_PERL[name as PerlClass]]));

/** Resolved classes by V8 source; bounded, since property names come from users. */
const resolved = new Map<string, CodePointSet>();
const MAX_RESOLVED = 64;

/** The code points a V8 class body (valid with the `u` flag) matches, without surrogates. */
function v8ClassSet(source: string): CodePointSet {
  const known = TABLED.get(source) ?? resolved.get(source);
  if (known !== undefined) {
    return known;
  }
  const set = scanV8Class(source);
  if (resolved.size >= MAX_RESOLVED) {
    resolved.delete(resolved.keys().next().value as string);
  }
  resolved.set(source, set);
  return set;
}
