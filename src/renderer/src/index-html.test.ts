import { describe, expect, it } from 'vitest';
import { metaContentSecurityPolicy, withContentSecurityPolicy } from '../../shared/csp';
import indexHtml from '../index.html?raw';

const policyOf = (html: string): string | null | undefined => new DOMParser().parseFromString(html, 'text/html').querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');

describe('index.html', () => {
  it('gets the strict policy of src/shared/csp.ts written into its <meta> by the build', () => {
    const built = withContentSecurityPolicy(indexHtml, 'build');
    expect(policyOf(built)).toBe(metaContentSecurityPolicy);
    expect(policyOf(built)).toContain("script-src 'self';");
    expect(policyOf(built)).not.toContain('unsafe-eval');
  });

  it('allows the dev server its inline preamble only in dev mode', () => {
    expect(policyOf(withContentSecurityPolicy(indexHtml, 'serve'))).toContain("script-src 'self' 'unsafe-inline'");
    expect(policyOf(withContentSecurityPolicy(indexHtml, 'build'))).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it('loads no external font, script or stylesheet', () => {
    expect(indexHtml).not.toMatch(/https?:\/\//);
  });
});
