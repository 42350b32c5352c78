/**
 * The linear-time regex engine, behind the one interface the matcher uses, so it can be
 * swapped. It is re2js: RE2 ported to JavaScript (Go's regexp, with a lazy DFA), so matching
 * takes time linear in the text whatever the pattern, in any thread and in Electron, with
 * nothing native to build. Measured against re2-wasm, @adguard/re2-wasm and the native `re2`
 * on corpus text it was the fastest per line (docs/PERFORMANCE.md).
 */
import { RE2JS } from 're2js';
import { AppError } from '../base/errors';

/** A compiled pattern; offsets are UTF-16 code units, like JavaScript's own. */
export interface LinearRegex {
  /** Whether `text` holds a match (the DFA alone: the cheapest question). */
  test(text: string): boolean;
  /** Calls `each` with every non-empty leftmost-first match, in order, none overlapping. */
  forEachMatch(text: string, each: (start: number, end: number) => void): void;
}

/** Compiles RE2 syntax; `lookbehind` allows the captureless look-behinds the marked form uses. */
export function compileLinear(source: string, lookbehind = false): LinearRegex {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, lookbehind ? RE2JS.LOOKBEHINDS : 0);
  } catch (error) {
    // The pattern was parsed and checked first, so this is a limit of the engine's.
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('invalid_regex', `The regex engine refused the pattern: ${message}`);
  }
  return {
    test: (text) => compiled.test(text),
    forEachMatch(text, each) {
      const matcher = compiled.matcher(text);
      while (matcher.find()) {
        const start = matcher.start();
        const end = matcher.end();
        if (end > start) {
          each(start, end);
        }
      }
    },
  };
}
