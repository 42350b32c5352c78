import type { RendererLocation } from './sender';

export interface RendererLocationOptions {
  readonly isPackaged: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** The built renderer's folder (out/renderer). */
  readonly root: string;
}

/**
 * Where the window's page comes from. `npm run dev` sets ELECTRON_RENDERER_URL to Vite's
 * server; a packaged app ignores it, or anyone who can set an environment variable could make
 * the trusted window (and its IPC) load a page of their choosing.
 */
export function rendererLocation(options: RendererLocationOptions): RendererLocation {
  const devServer = options.env.ELECTRON_RENDERER_URL;
  if (!options.isPackaged && devServer !== undefined && devServer !== '') {
    return { kind: 'url', url: devServer };
  }
  return { kind: 'app', root: options.root };
}
