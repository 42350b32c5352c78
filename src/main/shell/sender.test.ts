import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRendererUrl, isTrustedSender } from './sender';

const page = 'app://gitbot/index.html';
const file = { kind: 'app', root: '/opt/gitbot/out/renderer' } as const;
const devServer = { kind: 'url', url: 'http://localhost:5173/' } as const;

describe('isRendererUrl', () => {
  it('accepts the app:// page, whatever its query or hash', () => {
    expect(isRendererUrl(page, file)).toBe(true);
    expect(isRendererUrl(`${page}?tab=search#top`, file)).toBe(true);
  });

  it('refuses another page, another app:// host, the page as a file, another scheme and garbage', () => {
    expect(isRendererUrl('app://gitbot/other.html', file)).toBe(false);
    expect(isRendererUrl('app://evil/index.html', file)).toBe(false);
    expect(isRendererUrl(pathToFileURL('/opt/gitbot/out/renderer/index.html').href, file)).toBe(false);
    expect(isRendererUrl('file://evil.example/opt/gitbot/out/renderer/index.html', file)).toBe(false);
    expect(isRendererUrl('https://evil.example/opt/gitbot/out/renderer/index.html', file)).toBe(false);
    expect(isRendererUrl('about:blank', file)).toBe(false);
    expect(isRendererUrl('not a url', file)).toBe(false);
  });

  it('compares origins for the dev server', () => {
    expect(isRendererUrl('http://localhost:5173/index.html', devServer)).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', devServer)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1:5173/', devServer)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const url = page;

  it('trusts the main frame of the right web contents only', () => {
    expect(isTrustedSender({ sender: { id: 7 }, senderFrame: { url, parent: null } }, 7, file)).toBe(true);
    expect(isTrustedSender({ sender: { id: 8 }, senderFrame: { url, parent: null } }, 7, file)).toBe(false);
    expect(isTrustedSender({ sender: { id: 7 }, senderFrame: { url, parent: { url, parent: null } } }, 7, file)).toBe(false);
    expect(isTrustedSender({ sender: { id: 7 }, senderFrame: null }, 7, file)).toBe(false);
  });
});
