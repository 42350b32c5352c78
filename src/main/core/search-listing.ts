import type { Result, ResultError } from '../../shared/result';
import type { ListingChunk } from './search/listing-chunk';
import type { StreamWriter } from './stream-writer';

/**
 * The streamed route's listing: the next chunk of a search (checked as the `search` request is,
 * `limit` aside), formatted as NDJSON matches where the lines are found. The core's runs in a
 * reader thread (`searchListing` op), so main holds one chunk of text, not a page of objects.
 */
export type ListingSource = (arg: unknown, limit: number, signal: AbortSignal) => Promise<Result<ListingChunk>>;

/** Fetches the listing's next chunk: at most `limit` lines from `cursor` (the first chunk without one). */
export type ChunkFetch = (limit: number, cursor: string | undefined) => Promise<Result<ListingChunk>>;

export interface ListingOptions {
  readonly fetch: ChunkFetch;
  /** Most lines written; Infinity for all of them. */
  readonly limit: number;
  readonly writer: StreamWriter;
}

export type ListingOutcome =
  { readonly ok: true; readonly written: number; readonly last: ListingChunk | undefined; readonly more: boolean } | { readonly ok: false; readonly written: number; readonly error: ResultError };

/** Most lines asked for in one chunk; the chunk's byte budget (searchPageBytes) usually ends it first. */
export const MAX_CHUNK_LINES = 1_000_000;

/**
 * Writes a search's lines as they are found, chunk after chunk through the cursors: memory
 * holds one chunk of output (the search's page budget), and the next chunk is read only
 * once the writer has room, so a slow reader slows the search instead of filling a buffer.
 * Stops early when the writer's reader goes away.
 */
export async function writeListing(options: ListingOptions): Promise<ListingOutcome> {
  const { writer } = options;
  let written = 0;
  let cursor: string | undefined;
  let last: ListingChunk | undefined;
  do {
    const result = await options.fetch(Math.min(MAX_CHUNK_LINES, options.limit - written), cursor);
    if (!result.ok) {
      await writer.flush();
      return { ok: false, written, error: result.error };
    }
    last = result.value;
    writer.push(last.output);
    await writer.flush();
    written += last.lines;
    cursor = last.nextCursor;
  } while (cursor !== undefined && written < options.limit && !writer.closed);
  await writer.flush();
  return { ok: true, written, last, more: cursor !== undefined };
}
