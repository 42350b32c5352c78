import { AppError } from '../errors';
import { regexQuery, stringQuery, type LiteralQuery } from './regex-literals';

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
   * Returns false when the sink asked to stop.
   */
  scan(text: string, firstLine: number, sink: LineSink): boolean;
}

export function createMatcher(mode: 'literal' | 'regex', query: string, ignoreCase: boolean): LineMatcher {
  if (mode === 'literal') {
    if (query.includes('\n')) {
      return { query: stringQuery(query), scan: () => true };
    }
    return ignoreCase ? wholeTextRegexMatcher(new RegExp(escapeRegex(query), 'giu'), stringQuery(query)) : literalMatcher(query);
  }
  const regex = compileRegex(query, ignoreCase);
  return lineRegexMatcher(regex, regexQuery(query));
}

/** Compiles a user's regex with Unicode semantics when it allows them, else without. */
export function compileRegex(pattern: string, ignoreCase: boolean): RegExp {
  const flags = ignoreCase ? 'gi' : 'g';
  try {
    return new RegExp(pattern, `${flags}u`);
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
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function literalMatcher(query: string): LineMatcher {
  return {
    query: stringQuery(query),
    scan(text, firstLine, sink) {
      let line = firstLine;
      let counted = 0;
      let position = text.indexOf(query);
      while (position !== -1) {
        const start = text.lastIndexOf('\n', position - 1) + 1;
        let end = text.indexOf('\n', position);
        if (end === -1) {
          end = text.length;
        }
        line += countBetween(text, counted, start);
        counted = start;
        const ranges: Range[] = [];
        while (position !== -1 && position + query.length <= end) {
          ranges.push([position - start, position - start + query.length]);
          position = text.indexOf(query, position + query.length);
        }
        if (!sink(line, text.slice(start, end), ranges)) {
          return false;
        }
        if (position !== -1 && position < end + 1) {
          position = text.indexOf(query, end + 1);
        }
      }
      return true;
    },
  };
}

/** For patterns that can never match a newline (escaped literals): run over the whole text. */
function wholeTextRegexMatcher(regex: RegExp, query: LiteralQuery): LineMatcher {
  return {
    query,
    scan(text, firstLine, sink) {
      let line = firstLine;
      let counted = 0;
      regex.lastIndex = 0;
      let match = regex.exec(text);
      while (match !== null) {
        const position = match.index;
        const start = text.lastIndexOf('\n', position - 1) + 1;
        let end = text.indexOf('\n', position);
        if (end === -1) {
          end = text.length;
        }
        line += countBetween(text, counted, start);
        counted = start;
        const ranges: Range[] = [];
        while (match !== null && match.index + match[0].length <= end) {
          ranges.push([match.index - start, match.index - start + match[0].length]);
          if (match[0].length === 0) {
            regex.lastIndex += 1;
          }
          match = regex.exec(text);
        }
        if (!sink(line, text.slice(start, end), ranges)) {
          return false;
        }
        if (match !== null && match.index <= end) {
          regex.lastIndex = end + 1;
          match = regex.exec(text);
        }
      }
      return true;
    },
  };
}

function lineRegexMatcher(regex: RegExp, query: LiteralQuery): LineMatcher {
  const test = new RegExp(regex.source, regex.flags.replace('g', ''));
  return {
    query,
    scan(text, firstLine, sink) {
      let line = firstLine;
      let start = 0;
      while (start <= text.length) {
        let end = text.indexOf('\n', start);
        if (end === -1) {
          end = text.length;
        }
        const content = text.slice(start, end);
        if (test.test(content)) {
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
