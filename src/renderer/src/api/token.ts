export interface TokenLocation {
  readonly href: string;
}

export interface TokenHistory {
  replaceState(data: unknown, unused: string, url?: string | URL | null): void;
}

/**
 * Takes the loopback token from the page address (`?token=...`) once and removes it from the
 * address bar, so it is neither bookmarked, shown nor sent again. The token lives only in
 * this page's memory: no cookie (cookies ignore ports, so every local server would get it)
 * and no storage. A reload therefore needs the printed link again.
 */
export function takeToken(location: TokenLocation, history: TokenHistory): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null || token === '') {
    return null;
  }
  url.searchParams.delete('token');
  history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  return token;
}
