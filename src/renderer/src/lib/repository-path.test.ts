import { describe, expect, it } from 'vitest';
import { checkRepositoryPath } from './repository-path';

describe('checkRepositoryPath', () => {
  it('keeps a drive root whole and warns before it, as before any system root', () => {
    for (const typed of ['C:\\', 'C:/', 'c:\\\\', 'D:\\']) {
      const checked = checkRepositoryPath(typed, null);
      expect(checked.kind, typed).toBe('warning');
      expect(checked.kind === 'warning' && checked.path, typed).toBe(`${typed[0]!.toUpperCase()}:\\`);
    }
  });

  it('drops trailing separators of any other folder, and keeps / as it is', () => {
    expect(checkRepositoryPath('C:\\src\\project\\', null)).toEqual({ kind: 'ok', path: 'C:\\src\\project' });
    expect(checkRepositoryPath('/src/project//', null)).toEqual({ kind: 'ok', path: '/src/project' });
    expect(checkRepositoryPath('/', null)).toMatchObject({ kind: 'warning', path: '/' });
  });

  it('refuses a drive-relative path such as C: alone', () => {
    expect(checkRepositoryPath('C:', null).kind).toBe('error');
  });
});
