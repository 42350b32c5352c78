/** Types of electron-native.cjs, for the TypeScript tests that import it. */
export function electronBindingPath(root: string, electronVersion: string, platform?: string, arch?: string): string;
export function ensureElectronSqlite(options: { root: string; electronVersion: string; build?: (packageDir: string, electronVersion: string) => void; log?: (line: string) => void }): string;
