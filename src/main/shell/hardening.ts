import type { ShellSession, ShellWebContents } from './electron-types';

/**
 * The page never leaves the dashboard: navigation, redirects, frame navigation, webviews and
 * window.open are all refused. `onBlocked` lets the caller log what was attempted.
 */
export function blockNavigation(webContents: ShellWebContents, onBlocked: (what: string) => void = () => {}): void {
  webContents.on('will-navigate', (event) => {
    event.preventDefault();
    onBlocked(`navigation to ${event.url}`);
  });
  webContents.on('will-frame-navigate', (event) => {
    event.preventDefault();
    onBlocked(`frame navigation to ${event.url}`);
  });
  webContents.on('will-redirect', (event) => {
    event.preventDefault();
    onBlocked(`redirect to ${event.url}`);
  });
  webContents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onBlocked('a <webview>');
  });
  webContents.setWindowOpenHandler((details) => {
    onBlocked(`window.open of ${details.url}`);
    return { action: 'deny' };
  });
}

/** The dashboard needs no camera, notification, clipboard or any other permission: deny all. */
export function denyPermissions(session: ShellSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => {
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
