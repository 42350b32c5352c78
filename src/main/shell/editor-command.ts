import { existsSync } from 'node:fs';
import { delimiter as hostDelimiter, extname, isAbsolute, join } from 'node:path';
import { AppError } from '../core/base/errors';

/** What the editor launch depends on, injected so every platform is testable anywhere. */
export interface EditorPlatform {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly exists: (path: string) => boolean;
}

export const hostPlatform: EditorPlatform = { platform: process.platform, env: process.env, exists: existsSync };

/** How to start the editor: a program and its arguments, never through a shell with a file name in it. */
export interface EditorLaunch {
  readonly command: string;
  readonly args: readonly string[];
}

/** Characters cmd.exe interprets even inside quotes: a file name holding one cannot go through a .cmd. */
const cmdMetacharacters = /["%!^&|<>\r\n]/;

/**
 * Resolves the program of GITBOT_EDITOR as the system would. On Windows `code` is `code.cmd`,
 * which only cmd.exe can run: it is started as `cmd.exe /d /s /c "<code.cmd> <args>"` with every
 * argument quoted, and refused when an argument holds a character cmd.exe would interpret.
 */
export function resolveEditorLaunch(program: string, args: readonly string[], host: EditorPlatform): EditorLaunch {
  if (host.platform !== 'win32') {
    return { command: program, args };
  }
  const resolved = findOnPath(program, host);
  const extension = extname(resolved).toLowerCase();
  if (extension !== '.cmd' && extension !== '.bat') {
    return { command: resolved, args };
  }
  for (const arg of [resolved, ...args]) {
    if (cmdMetacharacters.test(arg)) {
      throw new AppError('bad_request', `Cannot pass ${JSON.stringify(arg)} to ${resolved}: cmd.exe would interpret its characters`);
    }
  }
  const line = [resolved, ...args].map((arg) => `"${arg}"`).join(' ');
  return { command: host.env['ComSpec'] ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${line}"`] };
}

function findOnPath(program: string, host: EditorPlatform): string {
  const extensions = (host.env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((extension) => extension !== '');
  const candidates = extname(program) === '' ? extensions.map((extension) => program + extension.toLowerCase()) : [program];
  const folders = isAbsolute(program) || program.includes('\\') || program.includes('/') ? [''] : (host.env['PATH'] ?? host.env['Path'] ?? '').split(host.platform === 'win32' ? ';' : hostDelimiter);
  for (const folder of folders) {
    for (const candidate of candidates) {
      const path = folder === '' ? candidate : join(folder, candidate);
      if (host.exists(path)) {
        return path;
      }
    }
  }
  return program;
}
