import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/csp';
import indexHtml from '../index.html?raw';

describe('index.html', () => {
  it('carries the same Content-Security-Policy as the server and the Electron session', () => {
    const page = new DOMParser().parseFromString(indexHtml, 'text/html');
    const meta = page.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(meta?.getAttribute('content')).toBe(contentSecurityPolicy);
  });

  it('loads no external font, script or stylesheet', () => {
    expect(indexHtml).not.toMatch(/https?:\/\//);
  });
});
