import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type GuardVerdict = { readonly allowed: true } | { readonly allowed: false; readonly status: 401 | 403; readonly message: string };

/**
 * Decides whether a request may reach the loopback API. A page on another site can make the
 * browser send requests to 127.0.0.1 (and DNS rebinding can make it look same-origin), so the
 * Host and Origin headers must name this server, and every route needs the per-run token.
 */
export function checkRequest(request: IncomingMessage, url: URL, port: number, token: string): GuardVerdict {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = request.headers.host;
  if (host === undefined || !allowedHosts.includes(host.toLowerCase())) {
    return { allowed: false, status: 403, message: 'Forbidden: foreign Host header' };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.some((allowed) => origin.toLowerCase() === `http://${allowed}`)) {
    return { allowed: false, status: 403, message: 'Forbidden: foreign Origin header' };
  }
  const presented = bearerToken(request) ?? url.searchParams.get('token') ?? cookieToken(request, port);
  if (presented === null || !sameSecret(presented, token)) {
    return { allowed: false, status: 401, message: 'Unauthorized: a valid token is required (Authorization: Bearer TOKEN or ?token=TOKEN)' };
  }
  return { allowed: true };
}

/**
 * The page's own assets and a reload of `/` carry no token of their own, so serving the page
 * with a valid ?token= also sets it as a cookie: HttpOnly (no script reads it), SameSite=Strict
 * (no other site sends it), named after the port (cookies ignore ports).
 */
export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

const cookieName = (port: number): string => `gitbot_token_${port}`;

function cookieToken(request: IncomingMessage, port: number): string | null {
  const header = request.headers.cookie;
  if (header === undefined) return null;
  const prefix = `${cookieName(port)}=`;
  const cookie = header.split(';').map((part) => part.trim()).find((part) => part.startsWith(prefix));
  return cookie === undefined ? null : cookie.slice(prefix.length);
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
