import { describe, expect, it, vi } from 'vitest';
import { takeToken, TOKEN_STORAGE_KEY } from './token';

describe('takeToken', () => {
  it('takes the token from the address, stores it and removes it from the address bar', () => {
    const replaceState = vi.fn();
    const token = takeToken({ href: 'http://127.0.0.1:4000/?token=abc&e2e=1#top' }, window.sessionStorage, { replaceState });
    expect(token).toBe('abc');
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/?e2e=1#top');
  });

  it('falls back to the stored token after a reload', () => {
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, 'kept');
    const replaceState = vi.fn();
    expect(takeToken({ href: 'http://127.0.0.1:4000/' }, window.sessionStorage, { replaceState })).toBe('kept');
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('returns null when there is no token anywhere', () => {
    window.sessionStorage.clear();
    expect(takeToken({ href: 'http://127.0.0.1:4000/' }, window.sessionStorage, { replaceState: vi.fn() })).toBeNull();
  });
});
