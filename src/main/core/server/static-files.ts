import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '../../../shared/csp';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The file of the built renderer a URL path names (`/` is index.html), or undefined for a path
 * that is not valid URL encoding or that leaves `root` (`..`, encoded slashes, NUL). Shared by
 * the loopback server and the Electron window's app:// protocol.
 */
export function staticFilePath(root: string, pathname: string): string | undefined {
  let relative: string;
  try {
    relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
  if (relative.includes('\0')) return undefined;
  const file = normalize(join(root, relative));
  return file !== root && file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

/** The headers of a renderer file: its type, no caching, no sniffing, the CSP on HTML. */
export function staticHeaders(file: string, size: number): Record<string, string | number> {
  const type = contentTypes[extname(file)] ?? 'application/octet-stream';
  return {
    'Content-Type': type,
    'Content-Length': size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(type.startsWith('text/html') ? { 'Content-Security-Policy': contentSecurityPolicy, 'Referrer-Policy': 'no-referrer' } : {}),
  };
}

/** Serves the built renderer. Returns false when no such file exists, so the caller can 404. */
export async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<boolean> {
  const file = staticFilePath(root, pathname);
  if (file === undefined) return false;
  // Open first, then stat the handle: the file cannot vanish or change type in between, and
  // an unreadable file is a 404 here instead of a stream error that would end the process.
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      return false;
    }
    response.writeHead(200, staticHeaders(file, info.size));
    const stream = handle.createReadStream();
    stream.on('error', () => response.destroy());
    stream.pipe(response);
    return true;
  } catch {
    await handle.close();
    return false;
  }
}
