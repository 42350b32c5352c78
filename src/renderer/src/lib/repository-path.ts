/** What the Repository field makes of a typed path before anything is sent to the core. */
export type CheckedPath =
  { readonly kind: 'ok'; readonly path: string } | { readonly kind: 'warning'; readonly path: string; readonly message: string } | { readonly kind: 'error'; readonly message: string };

/** Folders whose whole tree is rarely what anyone means to index (and every drive root). */
const systemRoots = new Set(['/', '/usr', '/etc', '/var', '/bin', '/lib', '/opt', '/proc', '/sys', '/dev', '/Users', '/home', '/System', '/Library', 'C:\\', 'C:\\Windows', 'C:\\Users']);

/** Expands `~`, refuses what the core cannot take (empty, relative), and warns before a system or home folder. */
export function checkRepositoryPath(typed: string, home: string | null): CheckedPath {
  let path = typed.trim();
  if (path === '') {
    return { kind: 'error', message: 'Enter the path of a repository folder.' };
  }
  if (path === '~' || path.startsWith('~/') || path.startsWith('~\\')) {
    if (home === null) {
      return { kind: 'error', message: 'This window cannot tell where your home folder is: type the full path instead of ~.' };
    }
    path = `${home}${path.slice(1)}`;
  }
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path)) {
    return { kind: 'error', message: `Type a full path (starting with / or a drive letter): "${path}" would depend on the folder the core was started in.` };
  }
  const drive = /^([A-Za-z]):[\\/]+$/.exec(path)?.[1];
  if (drive !== undefined) {
    // A drive root keeps its separator: "C:" alone means the current folder of drive C.
    path = `${drive.toUpperCase()}:\\`;
  } else if (path.length > 1) {
    path = path.replace(/[\\/]+$/, '') || path;
  }
  if (systemRoots.has(path) || drive !== undefined) {
    return { kind: 'warning', path, message: `${path} is a system folder: indexing it walks every file below it (possibly millions) and can take hours. Index it anyway?` };
  }
  if (home !== null && path === home) {
    return { kind: 'warning', path, message: `${path} is your whole home folder: indexing it walks every file you own, caches and downloads included. Index it anyway?` };
  }
  return { kind: 'ok', path };
}
