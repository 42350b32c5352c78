/**
 * ripgrep's Perl classes for a JavaScript pattern. In JavaScript `\w`, `\b` and `\d` are
 * ASCII even with the `u` flag and `\s` lacks NEL; ripgrep (Rust's regex) makes them Unicode
 * by default, so `gr\w+e` finds "größe" there and nothing here. This rewrites them as the
 * Unicode property escapes rg's definitions use (UTS #18 annex C), so results stay equal to
 * rg's. Only for patterns valid with the `u` flag: property escapes need it.
 */

/** rg's `\w`: Alphabetic, marks, decimal numbers, connector punctuation, joiners. */
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const WORD_CLASS = `[${WORD}]`;
const NOT_WORD_CLASS = `[^${WORD}]`;

/** Escapes outside a character class. */
const OUTSIDE: Readonly<Record<string, string>> = {
  w: WORD_CLASS,
  W: NOT_WORD_CLASS,
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  s: '\\p{White_Space}',
  S: '\\P{White_Space}',
  b: `(?:(?<=${WORD_CLASS})(?!${WORD_CLASS})|(?<!${WORD_CLASS})(?=${WORD_CLASS}))`,
  B: `(?:(?<=${WORD_CLASS})(?=${WORD_CLASS})|(?<!${WORD_CLASS})(?!${WORD_CLASS}))`,
};

/** Escapes inside a character class (`\b` there is a backspace; `\W` is handled by the whole class). */
const INSIDE: Readonly<Record<string, string>> = {
  w: WORD,
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  s: '\\p{White_Space}',
  S: '\\P{White_Space}',
};

/** Punctuation rg lets a pattern escape but JavaScript only without the `u` flag (`\-` only outside a class). */
const LOOSE_ESCAPES = '#~&';

/**
 * `pattern` in a form valid with the `u` flag when only escaped punctuation keeps it from
 * being one (`foo\-bar`, `\#`): such an escape means the character itself, so dropping it
 * changes nothing but lets the pattern have Unicode semantics. Otherwise `pattern` unchanged.
 */
export function unicodeForm(pattern: string): string {
  if (compilesWithU(pattern)) {
    return pattern;
  }
  let out = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      out += LOOSE_ESCAPES.includes(next) || (next === '-' && !inClass) ? next : char + next;
      index += 1;
    } else {
      if (char === '[') {
        inClass = true;
      } else if (char === ']') {
        inClass = false;
      }
      out += char;
    }
  }
  return compilesWithU(out) ? out : pattern;
}

/** Whether `pattern` compiles with the `u` flag (the `i`, `g` and `s` flags change no syntax). */
export function compilesWithU(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** `pattern` (valid with the `u` flag) with `\w \W \d \D \s \S \b \B` as rg means them. */
export function withUnicodeClasses(pattern: string): string {
  let out = '';
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index] as string;
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      out += OUTSIDE[next] ?? char + next;
      index += 2;
    } else if (char === '[') {
      const end = classEnd(pattern, index);
      out += translateClass(pattern.slice(index + 1, end));
      index = end + 1;
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

/** The index of the `]` closing the class opened at `open` (with `u`, a `[` inside is literal). */
function classEnd(pattern: string, open: number): number {
  let index = open + 1;
  while (index < pattern.length && pattern[index] !== ']') {
    index += pattern[index] === '\\' ? 2 : 1;
  }
  return index;
}

/** A class body (between the brackets) rewritten; a `\W` inside makes it a group. */
function translateClass(body: string): string {
  const negated = body.startsWith('^');
  let members = '';
  let notWord = false;
  for (let index = negated ? 1 : 0; index < body.length; ) {
    const char = body[index] as string;
    if (char === '\\') {
      const next = body[index + 1] ?? '';
      if (next === 'W') {
        notWord = true;
      } else {
        members += INSIDE[next] ?? char + next;
      }
      index += 2;
    } else {
      members += char;
      index += 1;
    }
  }
  if (!notWord) {
    return `[${negated ? '^' : ''}${members}]`;
  }
  if (members === '') {
    return negated ? WORD_CLASS : NOT_WORD_CLASS;
  }
  // [a\W] is a member or a non-word character; [^a\W] a word character that is not a member.
  return negated ? `(?:(?![${members}])${WORD_CLASS})` : `(?:[${members}]|${NOT_WORD_CLASS})`;
}
