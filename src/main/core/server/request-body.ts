import type { IncomingMessage } from 'node:http';
import type { ResultError } from '../../../shared/result';

/** The JSON argument of a request, or the status and error to answer with. */
export type BodyOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly status: 400 | 413; readonly error: ResultError };

/**
 * Past the limit the rest of a body is read and dropped, up to this many bytes in all; a body
 * larger still is cut by destroying the socket (requestTimeout bounds the time either way).
 */
export const MAX_DRAINED_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The one reader of request bodies (/rpc and the streamed search): at most `maxBytes` kept,
 * parsed as JSON (empty means `{}`). An oversized body is read to its end before the caller
 * answers 413: a socket closed with unread bytes sends a TCP reset, and the client that is
 * still uploading would see the reset instead of the status.
 */
export function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<BodyOutcome> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
      } else if (size > MAX_DRAINED_BODY_BYTES) {
        request.destroy();
      } else {
        chunks.length = 0;
      }
    });
    request.on('end', () => resolve(size > maxBytes ? tooLarge(maxBytes) : parse(Buffer.concat(chunks).toString('utf8'))));
    request.on('error', reject);
    // A destroyed request emits neither 'end' nor always 'error'; its promise must still settle.
    request.on('close', () => resolve(tooLarge(maxBytes)));
  });
}

function tooLarge(maxBytes: number): BodyOutcome {
  return { ok: false, status: 413, error: { code: 'bad_request', message: `Request body is larger than ${maxBytes} bytes` } };
}

function parse(text: string): BodyOutcome {
  try {
    return { ok: true, value: text.length === 0 ? {} : (JSON.parse(text) as unknown) };
  } catch {
    return { ok: false, status: 400, error: { code: 'bad_request', message: 'Request body is not valid JSON' } };
  }
}
