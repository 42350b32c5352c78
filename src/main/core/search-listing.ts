import type { Result, ResultError } from '../../shared/result';
import { MAX_PAGE_MATCHES } from '../../shared/search-limits';
import type { SearchMatch, SearchPage } from '../../shared/types';
import type { StreamWriter } from './stream-writer';

/** Fetches one page of the listing: at most `limit` matches from `cursor` (the first page without one). */
export type PageFetch = (limit: number, cursor: string | undefined) => Promise<Result<SearchPage>>;

export interface ListingOptions {
  readonly fetch: PageFetch;
  /** Most matches written; Infinity for all of them. */
  readonly limit: number;
  readonly writer: StreamWriter;
  /** One match as the text written for it (a line, a JSON line). */
  readonly format: (match: SearchMatch) => string;
}

export type ListingOutcome =
  | { readonly ok: true; readonly written: number; readonly last: SearchPage | undefined; readonly more: boolean }
  | { readonly ok: false; readonly written: number; readonly error: ResultError };

/**
 * Writes a search's matches as they are found, page after page through the cursors: memory
 * holds one page and one output chunk, and the next page is read only once the writer has
 * room, so a slow reader slows the search instead of filling a buffer. Stops early when the
 * writer's reader goes away.
 */
export async function writeListing(options: ListingOptions): Promise<ListingOutcome> {
  const { writer } = options;
  let written = 0;
  let cursor: string | undefined;
  let last: SearchPage | undefined;
  do {
    const result = await options.fetch(Math.min(MAX_PAGE_MATCHES, options.limit - written), cursor);
    if (!result.ok) {
      await writer.flush();
      return { ok: false, written, error: result.error };
    }
    last = result.value;
    for (const match of last.matches) {
      if (writer.push(options.format(match))) {
        await writer.flush();
      }
    }
    written += last.matches.length;
    cursor = last.nextCursor;
  } while (cursor !== undefined && written < options.limit && !writer.closed);
  await writer.flush();
  return { ok: true, written, last, more: cursor !== undefined };
}
