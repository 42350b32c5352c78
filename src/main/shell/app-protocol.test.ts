import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/csp';
import { appPageUrl, registerAppScheme, serveAppProtocol } from './app-protocol';
import { createFakeElectron, type FakeElectron } from './testing/fake-electron';

describe('the app:// protocol', () => {
  let folder: string;
  let electron: FakeElectron;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'gitbot-app-protocol-'));
    const root = join(folder, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Gitbot</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(folder, 'secret.txt'), 'not for the page');
    symlinkSync(join(folder, 'secret.txt'), join(root, 'assets', 'leak.txt'));
    electron = createFakeElectron(folder);
    registerAppScheme(electron.protocol);
    serveAppProtocol(electron.protocol, root);
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves the page with the dashboard policy, and its assets', async () => {
    const page = await electron.protocol.request(appPageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><title>Gitbot</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    const asset = await electron.protocol.request('app://gitbot/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('refuses every path out of the renderer folder, another host, a folder and a missing file', async () => {
    const refused = [
      'app://gitbot/../secret.txt',
      'app://gitbot/%2e%2e/secret.txt',
      'app://gitbot/..%2fsecret.txt',
      'app://gitbot/assets/..%2f..%2fsecret.txt',
      'app://gitbot/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://gitbot/assets/leak.txt',
      'app://gitbot/%00index.html',
      'app://gitbot/%E0%A4%A',
      'app://gitbot/assets',
      'app://gitbot/nope.js',
      'app://evil/index.html',
    ];
    for (const url of refused) {
      const reply = await electron.protocol.request(url);
      expect(reply.status, url).toBe(404);
      expect(await reply.text(), url).toBe('Not found');
    }
  });

  it('answers anything but GET and HEAD with 405', async () => {
    expect((await electron.protocol.request(appPageUrl, 'HEAD')).status).toBe(200);
    const post = await electron.protocol.request(appPageUrl, 'POST');
    expect(post.status).toBe(405);
    expect(await post.text()).toBe('Method not allowed');
  });

  it('is registered before the app is ready, as Electron requires', async () => {
    await electron.app.whenReady();
    expect(() => registerAppScheme(electron.protocol)).toThrow('protocol.registerSchemesAsPrivileged should be called before app is ready');
  });
});
