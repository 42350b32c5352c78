import { describe, expect, it, vi } from 'vitest';
import { takeToken } from './token';

describe('takeToken', () => {
  it('takes the token from the address and removes it from the address bar', () => {
    const replaceState = vi.fn();
    const token = takeToken({ href: 'http://127.0.0.1:4000/?token=abc&e2e=1#top' }, { replaceState });
    expect(token).toBe('abc');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/?e2e=1#top');
  });

  it('keeps the token nowhere but in memory: no cookie, no storage', () => {
    window.sessionStorage.clear();
    window.localStorage.clear();
    takeToken({ href: 'http://127.0.0.1:4000/?token=abc' }, { replaceState: vi.fn() });
    expect(document.cookie).toBe('');
    expect(window.sessionStorage.length).toBe(0);
    expect(window.localStorage.length).toBe(0);
  });

  it('returns null when the address has no token, and leaves the address alone', () => {
    const replaceState = vi.fn();
    expect(takeToken({ href: 'http://127.0.0.1:4000/' }, { replaceState })).toBeNull();
    expect(replaceState).not.toHaveBeenCalled();
  });
});
