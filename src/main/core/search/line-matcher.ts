import { AppError } from '../errors';
import { regexQuery, stringQuery, type LiteralQuery } from './regex-literals';
import { unicodeForm, withUnicodeClasses } from './unicode-classes';

export type Range = readonly [number, number];

/** Receives one matching line; returns false to stop the search. */
export type LineSink = (line: number, text: string, ranges: Range[]) => boolean;

/**
 * Finds matching lines in a run of complete lines, the way ripgrep does: a match never
 * crosses a newline, a line is reported once with all its match ranges.
 */
export interface LineMatcher {
  /** The literal text every match contains (for the trigram lookup and the byte prefilter). */
  readonly query: LiteralQuery;
  /**
   * Scans `text` (whole lines, without the final newline) whose first line is `firstLine`.
   * `ascii` says the text is all ASCII, where a faster form of the regex means the same.
   * Returns false when the sink asked to stop.
   */
  scan(text: string, firstLine: number, sink: LineSink, ascii: boolean): boolean;
}

export function createMatcher(mode: 'literal' | 'regex', query: string, ignoreCase: boolean): LineMatcher {
  if (mode === 'literal') {
    if (query.includes('\n')) {
      return { query: stringQuery(query), scan: () => true };
    }
    return ignoreCase ? wholeTextRegexMatcher(new RegExp(escapeRegex(query), 'giu'), stringQuery(query)) : literalMatcher(query);
  }
  const pattern = unicodeForm(query);
  return lineRegexMatcher(compileRegex(pattern, ignoreCase), compileRegex(pattern, ignoreCase, false), regexQuery(pattern));
}

/**
 * Compiles a user's regex with Unicode semantics when it allows them (and, unless
 * `unicodeClasses` is false, rg's Unicode `\w`, `\d`, `\s`, `\b`), else without. On ASCII
 * text both forms match alike, and JavaScript's own ASCII classes run faster (a full scan
 * with `\p{Nd}` for `\d` took 1.7 times as long). Matching runs line by line, so the `s`
 * flag only makes `.` match what rg's does: any character but the newline (a CR included).
 */
export function compileRegex(pattern: string, ignoreCase: boolean, unicodeClasses = true): RegExp {
  const flags = ignoreCase ? 'gis' : 'gs';
  try {
    new RegExp(pattern, `${flags}u`);
  } catch {
    try {
      return new RegExp(pattern, flags);
    } catch (error) {
      // V8 says "Invalid regular expression: /a(b/g: Unterminated group"; keep the reason only.
      const message = error instanceof Error ? error.message : String(error);
      const reason = /: ([^:]+)$/.exec(message)?.[1] ?? message;
      throw new AppError('invalid_regex', `Invalid regular expression "${pattern}": ${reason}`);
    }
  }
  return new RegExp(unicodeClasses ? withUnicodeClasses(pattern) : pattern, `${flags}u`);
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A match in a text: [start, end) in UTF-16 units. */
interface Hit {
  readonly start: number;
  readonly end: number;
}

function literalMatcher(query: string): LineMatcher {
  return {
    query: stringQuery(query),
    scan: (text, firstLine, sink) =>
      scanHits(text, firstLine, sink, (from) => {
        const start = text.indexOf(query, from);
        return start === -1 ? null : { start, end: start + query.length };
      }),
  };
}

/** For patterns that can never match a newline (escaped literals): run over the whole text. */
function wholeTextRegexMatcher(regex: RegExp, query: LiteralQuery): LineMatcher {
  return {
    query,
    scan: (text, firstLine, sink) =>
      scanHits(text, firstLine, sink, (from) => {
        regex.lastIndex = from;
        const match = regex.exec(text);
        return match === null ? null : { start: match.index, end: match.index + match[0].length };
      }),
  };
}

/**
 * Reports the lines of `text` holding hits, each once with all its hits' ranges. `next(from)`
 * finds the first hit starting at or after `from`; hits never cross a newline.
 */
function scanHits(text: string, firstLine: number, sink: LineSink, next: (from: number) => Hit | null): boolean {
  let line = firstLine;
  let counted = 0;
  let hit = next(0);
  while (hit !== null) {
    const start = text.lastIndexOf('\n', hit.start - 1) + 1;
    let end = text.indexOf('\n', hit.start);
    if (end === -1) {
      end = text.length;
    }
    line += countBetween(text, counted, start);
    counted = start;
    const ranges: Range[] = [];
    while (hit !== null && hit.end <= end) {
      ranges.push([hit.start - start, hit.end - start]);
      // An empty hit would be found again at the same place.
      hit = next(hit.end > hit.start ? hit.end : hit.end + 1);
    }
    if (!sink(line, text.slice(start, end), ranges)) {
      return false;
    }
    if (hit !== null && hit.start <= end) {
      hit = next(end + 1);
    }
  }
  return true;
}

/** One regex twice: global, for the ranges of a line, and not, to test a line. */
interface LineRegex {
  readonly all: RegExp;
  readonly test: RegExp;
}

function lineRegex(regex: RegExp): LineRegex {
  return { all: regex, test: new RegExp(regex.source, regex.flags.replace('g', '')) };
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Matches line by line with `unicode`, or with `ascii` (the same pattern with JavaScript's
 * own classes) on lines where both mean the same: in an all-ASCII text, or, in a text that
 * is not, on each line without a non-ASCII character (most lines of most such files).
 */
function lineRegexMatcher(unicode: RegExp, ascii: RegExp, query: LiteralQuery): LineMatcher {
  const forms = { unicode: lineRegex(unicode), ascii: lineRegex(ascii) };
  const same = unicode.source === ascii.source;
  return {
    query,
    scan(text, firstLine, sink, isAscii) {
      let line = firstLine;
      let start = 0;
      while (start <= text.length) {
        let end = text.indexOf('\n', start);
        if (end === -1) {
          end = text.length;
        }
        const content = text.slice(start, end);
        const form = same || isAscii || !NON_ASCII.test(content) ? forms.ascii : forms.unicode;
        if (form.test.test(content)) {
          const regex = form.all;
          const ranges: Range[] = [];
          regex.lastIndex = 0;
          let match = regex.exec(content);
          while (match !== null) {
            if (match[0].length === 0) {
              regex.lastIndex += 1;
            } else {
              ranges.push([match.index, match.index + match[0].length]);
            }
            if (regex.lastIndex > content.length) {
              break;
            }
            match = regex.exec(content);
          }
          if (!sink(line, content, ranges)) {
            return false;
          }
        }
        line += 1;
        start = end + 1;
      }
      return true;
    },
  };
}

function countBetween(text: string, from: number, to: number): number {
  let count = 0;
  let index = text.indexOf('\n', from);
  while (index !== -1 && index < to) {
    count += 1;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}
