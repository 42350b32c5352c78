import { contentSecurityPolicy } from '../../shared/csp';
import type { ShellSession } from './electron-types';

/**
 * Sets the dashboard's Content-Security-Policy on every response the window's session
 * receives. Pages loaded from file:// get no response headers, which is why the page also
 * carries the same policy in a <meta> tag; the header covers the dev server and anything
 * else served over HTTP.
 */
export function installContentSecurityPolicy(session: ShellSession, policy: string = contentSecurityPolicy): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Drop any policy the response brought, so ours is the only one in force.
      if (name.toLowerCase() !== 'content-security-policy') {
        headers[name] = value;
      }
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
}
