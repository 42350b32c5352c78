import { open, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { Readable } from 'node:stream';
import { staticFilePath, staticHeaders } from '../core/server/static-files';
import type { ShellProtocol } from './electron-types';

/** The window's page is app://gitbot/index.html: an origin of its own, not the whole disk's file://. */
export const appScheme = 'app';
export const appHost = 'gitbot';
export const appPageUrl = `${appScheme}://${appHost}/index.html`;

/**
 * Before the app is ready: app:// becomes a standard, secure scheme, so the page has a real
 * origin ('self' in the CSP means app://gitbot) and fetch works as on https. file:// would
 * give every page on the disk the same origin, and needs the file-protocol fuse's privileges.
 */
export function registerAppScheme(protocol: Pick<ShellProtocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Once the app is ready: app:// serves the files of `root` (out/renderer) and nothing else. */
export function serveAppProtocol(protocol: Pick<ShellProtocol, 'handle'>, root: string): void {
  protocol.handle(appScheme, (request) => appResponse(root, request));
}

/**
 * The answer to one app:// request: a file of `root`, streamed, with the renderer's headers
 * (the CSP on HTML); 404 for another host, a path out of `root` (`..`, encoded slashes, a
 * symlink that leads out), a folder or a missing file; 405 for anything but GET and HEAD.
 */
export async function appResponse(root: string, request: Pick<Request, 'url' | 'method'>): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(405, 'Method not allowed');
  }
  const url = new URL(request.url);
  const file = url.host === appHost ? staticFilePath(root, url.pathname) : undefined;
  if (file === undefined) {
    return plain(404, 'Not found');
  }
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return plain(404, 'Not found');
  }
  try {
    const [info, real, realRoot] = await Promise.all([handle.stat(), realpath(file), realpath(root)]);
    if (!info.isFile() || !real.startsWith(realRoot + sep)) {
      await handle.close();
      return plain(404, 'Not found');
    }
    const headers = Object.fromEntries(Object.entries(staticHeaders(file, info.size)).map(([name, value]) => [name, String(value)]));
    if (request.method === 'HEAD') {
      await handle.close();
      return new Response(null, { status: 200, headers });
    }
    // Streamed, so no file is read whole; the handle closes when the stream ends or is cancelled.
    const body = Readable.toWeb(handle.createReadStream());
    return new Response(body as ReadableStream<Uint8Array>, { status: 200, headers });
  } catch {
    await handle.close();
    return plain(404, 'Not found');
  }
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}
