import { describe, expect, it } from 'vitest';
import { resolveEditorLaunch, type EditorPlatform } from './editor-command';

const windows = (files: readonly string[]): EditorPlatform => ({
  platform: 'win32',
  env: { PATH: 'C:\\Windows;C:\\Users\\me\\AppData\\Local\\Programs\\Microsoft VS Code\\bin', PATHEXT: '.COM;.EXE;.BAT;.CMD', ComSpec: 'C:\\Windows\\system32\\cmd.exe' },
  exists: (path) => files.includes(path),
});

describe('resolveEditorLaunch', () => {
  it('runs GITBOT_EDITOR=code on Windows as code.cmd through cmd.exe, every argument quoted', () => {
    const host = windows(['C:\\Users\\me\\AppData\\Local\\Programs\\Microsoft VS Code\\bin/code.cmd']);
    expect(resolveEditorLaunch('code', ['--goto', 'C:\\repo\\a b.ts:12'], host)).toEqual({
      command: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', '""C:\\Users\\me\\AppData\\Local\\Programs\\Microsoft VS Code\\bin/code.cmd" "--goto" "C:\\repo\\a b.ts:12""'],
    });
  });

  it('refuses a file name cmd.exe would interpret, and starts an .exe directly', () => {
    const host = windows(['C:\\Users\\me\\AppData\\Local\\Programs\\Microsoft VS Code\\bin/code.cmd', 'C:\\Windows/notepad.exe']);
    expect(() => resolveEditorLaunch('code', ['C:\\repo\\a&calc.ts'], host)).toThrow(
      'Cannot pass "C:\\\\repo\\\\a&calc.ts" to C:\\Users\\me\\AppData\\Local\\Programs\\Microsoft VS Code\\bin/code.cmd: cmd.exe would interpret its characters',
    );
    expect(resolveEditorLaunch('notepad', ['C:\\repo\\a&b.ts'], host)).toEqual({ command: 'C:\\Windows/notepad.exe', args: ['C:\\repo\\a&b.ts'] });
  });

  it('leaves the program to the system elsewhere', () => {
    expect(resolveEditorLaunch('code', ['--goto', '/r/a.ts:1'], { platform: 'linux', env: {}, exists: () => false })).toEqual({ command: 'code', args: ['--goto', '/r/a.ts:1'] });
  });
});
