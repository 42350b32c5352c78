import { appHost, appScheme } from './app-protocol';
import type { ShellInvokeEvent } from './electron-types';

/** Where the window's page comes from: the built renderer folder over app://, or the dev server's URL. */
export type RendererLocation = { readonly kind: 'app'; readonly root: string } | { readonly kind: 'url'; readonly url: string };

/**
 * True only for a message from the main frame of our window's page: the right webContents,
 * no parent frame, and the page's own app:// page or dev-server origin. Checked before a payload is read, so
 * an iframe or a page that navigated elsewhere cannot reach a service.
 */
export function isTrustedSender(event: ShellInvokeEvent, webContentsId: number, renderer: RendererLocation): boolean {
  if (event.sender.id !== webContentsId) {
    return false;
  }
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) {
    return false;
  }
  return isRendererUrl(frame.url, renderer);
}

/** Compares a frame's URL with the renderer's location, ignoring the query and the hash. */
export function isRendererUrl(url: string, renderer: RendererLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (renderer.kind === 'url') {
    return parsed.origin === new URL(renderer.url).origin;
  }
  return parsed.protocol === `${appScheme}:` && parsed.host === appHost && (parsed.pathname === '/index.html' || parsed.pathname === '/');
}
