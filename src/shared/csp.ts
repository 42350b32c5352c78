/**
 * The dashboard's Content-Security-Policy, one source for every surface: the Electron
 * session's response headers, the loopback server's HTML responses and the page's <meta>
 * (written into index.html at build time). uPlot sets inline styles on its elements, hence
 * style-src 'unsafe-inline'; no script is ever inline in a built page.
 */
const directives = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** Sent as a response header, where frame-ancestors is honoured. */
export const contentSecurityPolicy = [...directives, "frame-ancestors 'none'"].join('; ');

/** For the page's <meta>: browsers ignore frame-ancestors there and warn about it. */
export const metaContentSecurityPolicy = directives.join('; ');

/**
 * `npm run dev` only: Vite's React refresh injects an inline preamble script and talks to its
 * server over a WebSocket. Never used by a built page.
 */
export const developmentContentSecurityPolicy = [
  ...directives.map((directive) =>
    directive.startsWith('script-src') ? "script-src 'self' 'unsafe-inline'" : directive.startsWith('connect-src') ? "connect-src 'self' ws: http://localhost:*" : directive,
  ),
  "frame-ancestors 'none'",
].join('; ');

/** The placeholder index.html carries where the build writes the policy. */
export const cspPlaceholder = '%GITBOT_CSP%';

/** Writes the policy into index.html: the strict one for a build, the dev one for the dev server. */
export function withContentSecurityPolicy(html: string, mode: 'build' | 'serve'): string {
  const policy = mode === 'build' ? metaContentSecurityPolicy : developmentContentSecurityPolicy.replace("; frame-ancestors 'none'", '');
  return html.replace(cspPlaceholder, policy);
}
