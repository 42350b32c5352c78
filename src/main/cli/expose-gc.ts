import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Exposes gc() so the core's periodic cleanup (the seed's) works in the CLI as in the desktop
 * app. Called where the core opens, not at start: a new V8 context costs a one-shot search
 * 5 ms or more.
 */
export function exposeGc(): void {
  if (typeof globalThis.gc !== 'function') {
    setFlagsFromString('--expose-gc');
    globalThis.gc = runInNewContext('gc') as typeof globalThis.gc;
  }
}
