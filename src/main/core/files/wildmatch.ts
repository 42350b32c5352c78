/**
 * git's wildmatch (wildmatch.c), the glob matcher behind .gitignore, ported to strings: it
 * walks the pattern and the text once with backtracking only at stars, and compiles nothing,
 * so thousands of rules cost only their text (the `ignore` package's one regex per rule
 * overflowed the writer's 16 MB heap on a 7,000-line .gitignore).
 *
 * With `pathname`, `*` and `?` do not match '/', and `**` between slashes matches any number
 * of folders, as in a .gitignore pattern that contains a slash. Characters compare as UTF-16
 * code units (git compares bytes; the two differ only inside classes and `?` on non-ASCII).
 */
export function wildmatch(pattern: string, text: string, pathname: boolean): boolean {
  return match(pattern, 0, text, 0, pathname) === Outcome.match;
}

/** A glob character: a pattern without any of these is a literal. */
export function hasGlobCharacter(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** Abort outcomes stop the backtracking of outer stars early, as in git (they cannot match either). */
const Outcome = { match: 0, noMatch: 1, abortAll: 2, abortToDoubleStar: 3 } as const;
type Outcome = (typeof Outcome)[keyof typeof Outcome];

const classes: Readonly<Record<string, RegExp>> = {
  alnum: /[A-Za-z0-9]/,
  alpha: /[A-Za-z]/,
  blank: /[ \t]/,
  cntrl: /[\x00-\x1f\x7f]/,
  digit: /[0-9]/,
  graph: /[!-~]/,
  lower: /[a-z]/,
  print: /[ -~]/,
  punct: /[!-/:-@[-`{-~]/,
  space: /[ \t\n\v\f\r]/,
  upper: /[A-Z]/,
  xdigit: /[0-9A-Fa-f]/,
};

function match(pattern: string, start: number, text: string, textStart: number, pathname: boolean): Outcome {
  let p = start;
  let t = textStart;
  for (; p < pattern.length; p += 1, t += 1) {
    const patternChar = pattern[p] as string;
    if (t >= text.length && patternChar !== '*') {
      return Outcome.abortAll;
    }
    const textChar = text[t] as string;
    switch (patternChar) {
      case '\\':
        // A literal of the next character; a trailing backslash matches nothing.
        p += 1;
        if (p >= pattern.length || pattern[p] !== textChar) {
          return Outcome.noMatch;
        }
        continue;
      case '?':
        if (pathname && textChar === '/') {
          return Outcome.noMatch;
        }
        continue;
      case '*':
        return star(pattern, p, text, t, pathname);
      case '[': {
        const read = characterClass(pattern, p, textChar);
        if (read === null) {
          return Outcome.abortAll;
        }
        if (!read.matched || (pathname && textChar === '/')) {
          return Outcome.noMatch;
        }
        p = read.end;
        continue;
      }
      default:
        if (textChar !== patternChar) {
          return Outcome.noMatch;
        }
    }
  }
  return t >= text.length ? Outcome.match : Outcome.noMatch;
}

/** The pattern from `p` (a star) against the text from `t`. */
function star(pattern: string, starAt: number, text: string, textStart: number, pathname: boolean): Outcome {
  let p = starAt + 1;
  let t = textStart;
  let matchSlash = !pathname;
  if (pattern[p] === '*') {
    while (pattern[p] === '*') {
      p += 1;
    }
    const atSegmentStart = starAt === 0 || pattern[starAt - 1] === '/';
    const atSegmentEnd = p >= pattern.length || pattern[p] === '/' || (pattern[p] === '\\' && pattern[p + 1] === '/');
    if (atSegmentStart && atSegmentEnd) {
      // `**/` may match no folder at all: `a/**/b` matches `a/b`.
      if (pattern[p] === '/' && match(pattern, p + 1, text, t, pathname) === Outcome.match) {
        return Outcome.match;
      }
      matchSlash = true;
    } else {
      matchSlash = !pathname;
    }
  }
  if (p >= pattern.length) {
    // A trailing `**` matches everything; a trailing `*` only what has no more slashes.
    return matchSlash || !text.includes('/', t) ? Outcome.match : Outcome.noMatch;
  }
  if (!matchSlash && pattern[p] === '/') {
    // One star then a slash: the star takes the rest of this folder name.
    const slash = text.indexOf('/', t);
    return slash === -1 ? Outcome.noMatch : match(pattern, p, text, slash, pathname);
  }
  const next = pattern[p] as string;
  const literal = !'*?[\\'.includes(next);
  while (t < text.length) {
    if (literal) {
      // What comes before the next literal belongs to the star: skip to it.
      while (t < text.length && (matchSlash || text[t] !== '/') && text[t] !== next) {
        t += 1;
      }
      if (text[t] !== next) {
        return matchSlash ? Outcome.abortAll : Outcome.abortToDoubleStar;
      }
    }
    const matched = match(pattern, p, text, t, pathname);
    if (matched !== Outcome.noMatch) {
      if (!matchSlash || matched !== Outcome.abortToDoubleStar) {
        return matched;
      }
    } else if (!matchSlash && text[t] === '/') {
      return Outcome.abortToDoubleStar;
    }
    t += 1;
  }
  return Outcome.abortAll;
}

/**
 * The bracket expression at `open` against one character: whether it matched and the index
 * of its closing ']', or null when it is never closed (git then matches nothing).
 */
function characterClass(pattern: string, open: number, textChar: string): { matched: boolean; end: number } | null {
  let p = open + 1;
  const negated = pattern[p] === '!' || pattern[p] === '^';
  if (negated) {
    p += 1;
  }
  let matched = false;
  let previous: string | null = null;
  // The first character is a member even when it is ']'.
  for (let first = true; first || pattern[p] !== ']'; first = false, p += 1) {
    let char = pattern[p];
    if (char === undefined) {
      return null;
    }
    if (char === '\\') {
      p += 1;
      char = pattern[p];
      if (char === undefined) {
        return null;
      }
      matched ||= textChar === char;
      previous = char;
    } else if (char === '-' && previous !== null && pattern[p + 1] !== undefined && pattern[p + 1] !== ']') {
      p += 1;
      let last = pattern[p] as string;
      if (last === '\\') {
        p += 1;
        if (pattern[p] === undefined) {
          return null;
        }
        last = pattern[p] as string;
      }
      matched ||= textChar >= previous && textChar <= last;
      previous = null;
    } else if (char === '[' && pattern[p + 1] === ':') {
      const close = pattern.indexOf(']', p + 2);
      if (close === -1) {
        return null;
      }
      if (pattern[close - 1] !== ':' || close - 1 < p + 2) {
        // No ":]": an ordinary '['.
        matched ||= textChar === '[';
        previous = '[';
        continue;
      }
      const test = classes[pattern.slice(p + 2, close - 1)];
      if (test === undefined) {
        return null;
      }
      matched ||= test.test(textChar);
      p = close;
      previous = null;
    } else {
      matched ||= textChar === char;
      previous = char;
    }
  }
  return { matched: matched !== negated, end: p };
}
