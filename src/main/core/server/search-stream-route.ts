import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail, type Result } from '../../../shared/result';
import { MAX_PAGE_MATCHES } from '../../../shared/search-limits';
import type { SearchPage } from '../../../shared/types';
import type { ListingChunk } from '../search/listing-chunk';
import type { Dispatch } from '../router';
import { MAX_CHUNK_LINES, writeListing, type ListingSource } from '../search-listing';
import { StreamWriter } from '../stream-writer';
import { readJsonBody } from './request-body';

/** The route of the streamed search. */
export const searchStreamPath = '/stream/search';

const maxBodyBytes = 64 * 1024;

/**
 * `POST /stream/search` with the search's JSON argument (no cursor; `limit` here is the most
 * matches written, absent or 0 for all): every match as one line of NDJSON, written as the
 * pages are read, then one last line `{"done":true,"written":N,"total":{…}}` or
 * `{"error":{code,message}}`. Memory holds one page; the next page is read only when the
 * socket has room. A client that disconnects cancels the search. The caller has checked the
 * token, Host and Origin as for /rpc; returns false for any other route.
 */
export async function handleSearchStream(request: IncomingMessage, response: ServerResponse, url: URL, listing: ListingSource): Promise<boolean> {
  if (url.pathname !== searchStreamPath) {
    return false;
  }
  if (request.method !== 'POST') {
    sendJson(response, 405, fail('bad_request', `Use POST for ${searchStreamPath}`));
    return true;
  }
  const body = await readJsonBody(request, maxBodyBytes);
  if (!body.ok) {
    sendJson(response, body.status, { ok: false, error: body.error });
    return true;
  }
  const parsed = parseArgument(body.value);
  if (!parsed.ok) {
    sendJson(response, 400, parsed);
    return true;
  }
  const { limit, argument } = parsed.value;
  const gone = new AbortController();
  response.on('close', () => {
    if (!response.writableEnded) {
      gone.abort();
    }
  });
  const fetch = (chunkLimit: number, cursor: string | undefined): Promise<Result<ListingChunk>> =>
    listing({ ...argument, totals: false, ...(cursor === undefined ? {} : { cursor }) }, chunkLimit, gone.signal);
  // The first chunk decides the status: a bad query is a plain JSON error, as on /rpc.
  let first: Result<ListingChunk> | undefined = await fetch(Math.min(MAX_CHUNK_LINES, limit), undefined);
  if (!first.ok) {
    sendJson(response, first.error.code === 'bad_request' || first.error.code === 'invalid_regex' ? 400 : 500, first);
    return true;
  }
  response.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  const writer = new StreamWriter(response);
  const outcome = await writeListing({
    fetch: (chunkLimit, cursor) => {
      if (cursor === undefined && first !== undefined) {
        const chunk = first;
        first = undefined;
        return Promise.resolve(chunk);
      }
      return fetch(chunkLimit, cursor);
    },
    limit,
    writer,
  });
  if (!writer.closed) {
    const last = outcome.ok ? { done: true, written: outcome.written, total: outcome.last?.total, more: outcome.more } : { error: outcome.error, written: outcome.written };
    response.end(`${JSON.stringify(last)}\n`);
  }
  return true;
}

/**
 * A listing read through the `search` request's pages, for a server given only `dispatch`
 * (the route's own tests): each page written as NDJSON here, in main.
 */
export function pagedListing(dispatch: Dispatch): ListingSource {
  return async (arg, limit, signal) => {
    const page = asPage(await dispatch('search', { ...(arg as Record<string, unknown>), limit: Math.min(MAX_PAGE_MATCHES, limit) }, { signal }));
    if (!page.ok) {
      return page;
    }
    let text = '';
    for (const match of page.value.matches) {
      text += `${JSON.stringify(match)}\n`;
    }
    const { total, nextCursor } = page.value;
    return { ok: true, value: { output: text, lines: page.value.matches.length, total, ...(nextCursor === undefined ? {} : { nextCursor }) } };
  };
}

/** Checks the shape of what `search` resolved to instead of casting it. */
function asPage(result: Result<unknown>): Result<SearchPage> {
  if (!result.ok) {
    return result;
  }
  const value = result.value as Partial<SearchPage> | null;
  if (value === null || typeof value !== 'object' || !Array.isArray(value.matches) || typeof value.total !== 'object') {
    return fail('internal', 'The search returned something other than a page');
  }
  return { ok: true, value: value as SearchPage };
}

interface StreamRequest {
  readonly limit: number;
  readonly argument: Record<string, unknown>;
}

function parseArgument(value: unknown): Result<StreamRequest> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('bad_request', 'Request body must be a JSON object');
  }
  const { limit, cursor, ...argument } = value as Record<string, unknown>;
  if (cursor !== undefined) {
    return fail('bad_request', 'A streamed search has no cursor: it writes every match from the first');
  }
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0)) {
    return fail('bad_request', 'limit must be a whole number of matches, 0 for all');
  }
  return { ok: true, value: { limit: limit === undefined || limit === 0 ? Number.POSITIVE_INFINITY : limit, argument } };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(text);
}
