import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Handlers } from '../core/router';
import { AppError } from '../core/base/errors';
import { hostPlatform, resolveEditorLaunch, type EditorLaunch, type EditorPlatform } from './editor-command';
import type { ShellDialog, ShellOpener, ShellWindow } from './electron-types';

export type NativeHandlers = Pick<Handlers, 'chooseFolder' | 'openInEditor'>;

export interface NativeHandlerOptions<W extends ShellWindow> {
  readonly dialog: ShellDialog<W>;
  readonly opener: ShellOpener;
  /** The window the folder dialog belongs to, if one is open. */
  readonly window: () => W | undefined;
  /**
   * An editor command line such as `code --goto {path}:{line}` (GITBOT_EDITOR). Empty or
   * absent: the file opens in the system's default application and the line is ignored.
   */
  readonly editorCommand?: () => string;
  /** Starts the editor; replaced in tests. */
  readonly launch?: (command: string, args: readonly string[]) => Promise<void>;
  /** Platform, environment and file lookup for resolving the editor (default: this host). */
  readonly host?: EditorPlatform;
}

/** The requests only the desktop app can serve: a native folder dialog and opening a file. */
export function createNativeHandlers<W extends ShellWindow>(options: NativeHandlerOptions<W>): NativeHandlers {
  const launch = options.launch ?? launchDetached;
  const host = options.host ?? hostPlatform;
  return {
    async chooseFolder() {
      const window = options.window();
      if (window === undefined || window.isDestroyed()) {
        throw new AppError('unsupported', 'No Gitbot window is open to show the folder dialog');
      }
      const result = await options.dialog.showOpenDialog(window, { title: 'Choose a repository', properties: ['openDirectory'] });
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    async openInEditor({ path, line }) {
      await assertFile(path);
      const command = options.editorCommand?.().trim() ?? '';
      if (command !== '') {
        const [program, ...args] = editorArguments(command, path, line ?? 1);
        if (program === undefined) {
          throw new AppError('bad_request', 'GITBOT_EDITOR is empty');
        }
        const resolved = resolveEditorLaunch(program, args, host);
        await launch(resolved.command, resolved.args);
        return { opened: true };
      }
      // Never the system opener (shell.openPath): it runs .exe, .bat and .js files on Windows
      // and .desktop files on Linux. Open as text in the system's text editor instead.
      const viewer = textEditorFor(host.platform, path);
      if (viewer === null) {
        throw new AppError('unsupported', 'Set GITBOT_EDITOR (for example "code --goto {path}:{line}") to open files: on Linux no editor is known to open a file as text only');
      }
      await launch(viewer.command, viewer.args);
      return { opened: true };
    },
  };
}

/**
 * Splits an editor command line into program and arguments (double quotes group words) and
 * fills in {path} and {line}; without {path} the path is appended. No shell is involved, so
 * a file name cannot inject a command.
 */
export function editorArguments(command: string, path: string, line: number): string[] {
  const words = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
  const filled = words.map((word) => word.replaceAll('{path}', path).replaceAll('{line}', String(line)));
  return words.some((word) => word.includes('{path}')) ? filled : [...filled, path];
}

async function assertFile(path: string): Promise<void> {
  if (!isAbsolute(path)) {
    throw new AppError('invalid_path', `Not an absolute path: ${path}`);
  }
  try {
    await stat(path);
  } catch {
    throw new AppError('not_found', `No such file: ${path}`);
  }
}

/** The system's own text editor, which shows a file as text whatever its extension. */
export function textEditorFor(platform: NodeJS.Platform, path: string): EditorLaunch | null {
  if (platform === 'darwin') {
    return { command: 'open', args: ['-t', path] };
  }
  if (platform === 'win32') {
    return { command: 'notepad.exe', args: [path] };
  }
  return null;
}

function launchDetached(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', (error) => reject(new AppError('not_found', `Cannot start the editor "${command}": ${error.message}`)));
    child.once('spawn', () => {
      // The editor outlives this request and may outlive the app.
      child.unref();
      resolve();
    });
  });
}
