/** Types of electron-binary.cjs, for the TypeScript tests that import it. */
export type ElectronLookup = { ok: true; path: string; version: string } | { ok: false; reason: string };
export function findElectron(root: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): ElectronLookup;
