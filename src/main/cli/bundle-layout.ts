import type { WorkerLocator } from '../core/base/workers';

export interface BundleLayout {
  readonly workers: WorkerLocator;
  /** The built renderer served by `gitbot serve`. */
  readonly rendererDir: string;
}

let layout: BundleLayout | undefined;

/**
 * Where the worker threads and the renderer live. The bundled CLI entry sets this from its
 * own folder (shared code may sit in a chunk elsewhere); tests set the source layout. It is
 * its own module so the entry sets it without loading the core.
 */
export function configureBundle(bundle: BundleLayout): void {
  layout = bundle;
}

export function bundleLayout(): BundleLayout {
  if (layout === undefined) {
    throw new Error('configureBundle() was not called before the CLI opened the core');
  }
  return layout;
}
