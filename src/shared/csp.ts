/**
 * The dashboard's Content-Security-Policy, one string for every surface: the Electron
 * session's response headers, the loopback server's HTML responses and the page's <meta>.
 * uPlot sets inline styles on its elements, hence style-src 'unsafe-inline'; no script is
 * ever inline.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
