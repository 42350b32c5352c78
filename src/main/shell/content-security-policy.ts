import { contentSecurityPolicy } from '../../shared/csp';
import type { ShellSession } from './electron-types';

/**
 * Sets the dashboard's Content-Security-Policy on every response the window's session
 * receives over HTTP (the dev server). The built page, served over app://, gets the same
 * header from app-protocol.ts and carries the policy in a <meta> tag as well.
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
