// Lint: TypeScript rules plus the import boundaries of docs/ARCHITECTURE.md. A file's folder
// tells what it may import; these rules make a wrong-way import fail `npm test`.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const restrict = (patterns, paths = []) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
});

const electronMessage = 'Only the Electron shell (src/main/index.ts, src/main/shell) may use Electron.';
const noElectron = { name: 'electron', message: electronMessage };
const toElectronSubpath = { group: ['electron/*'], message: electronMessage };
// Bare names too ('fs', 'path', 'fs/promises'), not only 'node:fs'.
const nodeBuiltins = (message) => [{ group: ['node:*'], message }, ...builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ group: [name, `${name}/*`], message }))];
const toMain = { group: ['**/main/**', '**/main'], message: 'Renderer, preload and shared code never import main.' };
const toRenderer = { group: ['**/renderer/**'], message: 'Nothing imports the renderer.' };
const toPreload = { group: ['**/preload/**', '**/preload'], message: 'Nothing imports the preload.' };
const toShell = { group: ['**/shell/**', '**/shell'], message: 'The core never imports the Electron shell.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'bin/**', 'scripts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      curly: ['error', 'multi-line'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [toMain, toRenderer, toPreload, toElectronSubpath, ...nodeBuiltins('src/shared runs in every process: no Node built-ins.')],
      [noElectron, { name: 'react', message: 'src/shared has no UI.' }],
    ),
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/cli/**/*.ts'],
    rules: restrict([toRenderer, toPreload, toShell, toElectronSubpath], [noElectron]),
  },
  {
    files: ['src/main/shell/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ ...noElectron, allowTypeImports: true, message: 'The shell takes Electron as an injected parameter; only src/main/index.ts imports its values.' }], patterns: [toRenderer, toPreload] },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict([toMain, toRenderer]),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: restrict([toMain, toPreload, toElectronSubpath, ...nodeBuiltins('The renderer is DOM-only.')], [noElectron]),
  },
);
