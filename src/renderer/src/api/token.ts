/** Where the loopback token is kept so that a reload of the page still works. */
export const TOKEN_STORAGE_KEY = 'gitbot.token';

export interface TokenLocation {
  readonly href: string;
}

export interface TokenHistory {
  replaceState(data: unknown, unused: string, url?: string | URL | null): void;
}

/**
 * Takes the loopback token from the page address (`?token=...`), keeps it in session
 * storage and removes it from the address bar, so it is neither bookmarked nor shown.
 * Without a token in the address, the one kept by an earlier load is used.
 */
export function takeToken(location: TokenLocation, storage: Storage | undefined, history: TokenHistory): string | null {
  const url = new URL(location.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress !== null && fromAddress !== '') {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromAddress);
    } catch {
      // Storage may be disabled; the token still lives in memory for this page.
    }
    url.searchParams.delete('token');
    history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
    return fromAddress;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
