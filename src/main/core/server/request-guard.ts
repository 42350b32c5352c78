import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type GuardVerdict = { readonly allowed: true } | { readonly allowed: false; readonly status: 401 | 403; readonly message: string };

/**
 * Decides whether a request may reach the loopback server. A page on another site can make
 * the browser send requests to 127.0.0.1 (and DNS rebinding can make it look same-origin), so
 * the Host and Origin headers must name this server, and every route but the page's public
 * assets (`tokenRequired` false) needs the per-run token: as `Authorization: Bearer`, or
 * `?token=` for the first load of the page and for operators. Never a cookie: cookies ignore
 * ports, so every other server on 127.0.0.1 the browser visits would receive it.
 */
export function checkRequest(request: IncomingMessage, url: URL, port: number, token: string, tokenRequired = true): GuardVerdict {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = request.headers.host;
  if (host === undefined || !allowedHosts.includes(host.toLowerCase())) {
    return { allowed: false, status: 403, message: 'Forbidden: foreign Host header' };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.some((allowed) => origin.toLowerCase() === `http://${allowed}`)) {
    return { allowed: false, status: 403, message: 'Forbidden: foreign Origin header' };
  }
  if (!tokenRequired) {
    return { allowed: true };
  }
  const presented = bearerToken(request) ?? url.searchParams.get('token');
  if (presented === null || !sameSecret(presented, token)) {
    return { allowed: false, status: 401, message: 'Unauthorized: a valid token is required (Authorization: Bearer TOKEN or ?token=TOKEN)' };
  }
  return { allowed: true };
}

function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
