import { describe, expect, it } from 'vitest';
import { rendererLocation } from './renderer-location';

const root = '/opt/gitbot/out/renderer';

describe('rendererLocation', () => {
  it('uses the dev server of ELECTRON_RENDERER_URL when the app is not packaged', () => {
    expect(rendererLocation({ isPackaged: false, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, root })).toEqual({ kind: 'url', url: 'http://localhost:5173/' });
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app and serves the built page over app://', () => {
    expect(rendererLocation({ isPackaged: true, env: { ELECTRON_RENDERER_URL: 'https://evil.example/' }, root })).toEqual({ kind: 'app', root });
  });

  it('serves the built page when the variable is absent or empty', () => {
    expect(rendererLocation({ isPackaged: false, env: {}, root })).toEqual({ kind: 'app', root });
    expect(rendererLocation({ isPackaged: false, env: { ELECTRON_RENDERER_URL: '' }, root })).toEqual({ kind: 'app', root });
  });
});
