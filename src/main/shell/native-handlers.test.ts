import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNativeHandlers, editorArguments } from './native-handlers';
import { FakeDialog, FakeOpener, FakeWindow } from './testing/fake-electron';

describe('editorArguments', () => {
  it('fills in the path and line and keeps quoted words together', () => {
    expect(editorArguments('code --goto {path}:{line}', '/r/a b.ts', 12)).toEqual(['code', '--goto', '/r/a b.ts:12']);
    expect(editorArguments('"/Applications/My Editor/bin/ed" +{line} "{path}"', '/r/x.ts', 3)).toEqual(['/Applications/My Editor/bin/ed', '+3', '/r/x.ts']);
  });

  it('appends the path when the command does not place it', () => {
    expect(editorArguments('subl', '/r/x.ts', 1)).toEqual(['subl', '/r/x.ts']);
  });

  it('passes a hostile file name as one argument, never to a shell', () => {
    expect(editorArguments('vim +{line}', '/r/$(rm -rf ~);.ts', 1)).toEqual(['vim', '+1', '/r/$(rm -rf ~);.ts']);
  });
});

describe('createNativeHandlers', () => {
  let dir: string;
  let file: string;
  let dialog: FakeDialog;
  let opener: FakeOpener;
  let window: FakeWindow | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitbot-native-'));
    file = join(dir, 'main.ts');
    writeFileSync(file, 'export {};\n');
    dialog = new FakeDialog();
    opener = new FakeOpener();
    window = new FakeWindow({});
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const handlers = (editorCommand?: string) => createNativeHandlers({ dialog, opener, window: () => window, editorCommand: () => editorCommand ?? '' });

  it('asks for a folder in a dialog attached to the window', async () => {
    dialog.answer = { canceled: false, filePaths: [dir] };
    expect(await handlers().chooseFolder({})).toEqual({ path: dir });
    expect(dialog.calls).toEqual([{ window, options: { title: 'Choose a repository', properties: ['openDirectory'] } }]);
  });

  it('answers null when the dialog is cancelled', async () => {
    expect(await handlers().chooseFolder({})).toEqual({ path: null });
  });

  it('refuses to show a dialog without a window', async () => {
    window = undefined;
    await expect(handlers().chooseFolder({})).rejects.toThrow('No Gitbot window is open to show the folder dialog');
  });

  it('never hands a file to the system opener: it opens as text in the platform text editor', async () => {
    const launched: string[][] = [];
    const launch = async (command: string, args: readonly string[]) => {
      launched.push([command, ...args]);
    };
    const on = (platform: NodeJS.Platform) => createNativeHandlers({ dialog, opener, window: () => window, launch, host: { platform, env: {}, exists: () => false } });
    expect(await on('win32').openInEditor({ path: file, line: 4 })).toEqual({ opened: true });
    expect(await on('darwin').openInEditor({ path: file })).toEqual({ opened: true });
    expect(launched).toEqual([
      ['notepad.exe', file],
      ['open', '-t', file],
    ]);
    await expect(on('linux').openInEditor({ path: file })).rejects.toThrow(
      'Set GITBOT_EDITOR (for example "code --goto {path}:{line}") to open files: on Linux no editor is known to open a file as text only',
    );
    expect(opener.opened).toEqual([]);
  });

  it('refuses relative and missing paths', async () => {
    await expect(handlers().openInEditor({ path: 'src/main.ts' })).rejects.toThrow('Not an absolute path: src/main.ts');
    await expect(handlers().openInEditor({ path: join(dir, 'gone.ts') })).rejects.toThrow(`No such file: ${join(dir, 'gone.ts')}`);
    expect(opener.opened).toEqual([]);
  });

  it('starts the configured editor with the path and line', async () => {
    const record = join(dir, 'editor-args.json');
    const script = join(dir, 'editor.cjs');
    writeFileSync(script, `require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`);
    await handlers(`"${process.execPath}" "${script}" --line {line} {path}`).openInEditor({ path: file, line: 42 });
    await expect.poll(() => readFileSync(record, 'utf8'), { timeout: 5000 }).toBe(JSON.stringify(['--line', '42', file]));
  });

  it('says when the editor cannot be started', async () => {
    await expect(handlers('/nonexistent/editor {path}').openInEditor({ path: file })).rejects.toThrow('Cannot start the editor "/nonexistent/editor": spawn /nonexistent/editor ENOENT');
  });
});
