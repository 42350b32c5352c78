// Lint: TypeScript rules plus the import boundaries of docs/ARCHITECTURE.md. A file's folder
// tells what it may import; these rules make a wrong-way import fail `npm test`.
import { builtinModules } from 'node:module';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const restrict = (patterns, paths = []) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
});

const electronMessage = 'Only the Electron shell (src/main/index.ts, src/main/shell) may use Electron.';
const noElectron = { name: 'electron', message: electronMessage };
const toElectronSubpath = { group: ['electron/*'], message: electronMessage };
// Bare names too ('fs', 'path', 'fs/promises'), not only 'node:fs'.
const nodeBuiltins = (message) => [{ group: ['node:*'], message }, ...builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ group: [`/${name}`, `/${name}/*`], message }))];
const toMain = { group: ['**/main/**', '**/main'], message: 'Renderer, preload and shared code never import main.' };
const toRenderer = { group: ['**/renderer/**'], message: 'Nothing imports the renderer.' };
const toPreload = { group: ['**/preload/**', '**/preload'], message: 'Nothing imports the preload.' };
const toShell = { group: ['**/shell/**', '**/shell'], message: 'The core never imports the Electron shell.' };

// The core's folders in layers, lowest first (docs/ARCHITECTURE.md); `base` holds the leaf
// utilities (errors, lifecycle, paths, workers, faults, events). A folder imports only folders
// of lower layers, never a folder of its own layer or above, nor the composition root beside
// core.ts: so no two folders can import each other (dependency-cruiser checks cycles too).
const coreLayers = [['base'], ['log', 'files', 'index'], ['config'], ['search', 'monitor', 'tasks'], ['db'], ['query', 'indexer'], ['health', 'server', 'precheck']];
const compositionFiles = ['core', 'router', 'search-channels', 'indexed-file', 'search-listing', 'stream-writer', 'in-process-transport'];
const coreLayerRules = coreLayers.flatMap((layer, level) =>
  layer.map((folder) => {
    const above = coreLayers
      .slice(level)
      .flat()
      .filter((other) => other !== folder);
    const patterns = [toRenderer, toPreload, toShell, toElectronSubpath];
    if (above.length > 0) {
      patterns.push({
        group: above.flatMap((other) => [`../${other}`, `../${other}/*`]),
        message: `core/${folder} is in layer ${level + 1} of the core (eslint.config.mjs coreLayers): it imports only lower layers.`,
      });
    }
    // The loopback server is a transport: it reaches the core through core.ts and the router.
    if (folder !== 'server') {
      patterns.push({ group: compositionFiles.map((file) => `../${file}`), message: `The composition root (${compositionFiles.join(', ')}) imports the core's folders, never the reverse.` });
    }
    // Tests and test helpers are leaves: nothing in the core imports them.
    return { files: [`src/main/core/${folder}/**/*.ts`], ignores: ['**/*.test.ts', '**/*-test-helpers.ts'], rules: restrict(patterns, [noElectron]) };
  }),
);

// The sandboxed preload bundles everything it imports: Electron's ipcRenderer, its own files,
// and the schema-free part of shared (zod stays out; contract.ts for its types only).
const preloadAllowed = ['electron', './<file>', '../shared/{client,names,event,result,types}'];
const preloadAllowedRegex = '^(?!(electron|\\./[\\w.-]+|\\.\\./shared/(client|names|event|result|types|contract))$)';

// The renderer bundles for the browser: React, uPlot, the SSE parser of the loopback client,
// its own files and src/shared (contract.ts for its types only: its zod schemas stay in main).
// Import strings are not resolved, so a relative path's reach is judged by the importing
// file's depth below src/renderer/src: one block per depth. Tests and their helpers are exempt.
const rendererPackages = ['react', 'react-dom', 'uplot', 'eventsource-parser'];
const rendererAllowed = [...rendererPackages, 'its own files', 'src/shared'];
const rendererRules = (depth) => {
  const own = depth === 0 ? '\\./' : `(\\./|(\\.\\./){1,${depth}})`;
  const allowed = [`${own}(?!\\.\\./)(?!.*/\\.\\./).+`, `(\\.\\./){${depth + 2}}shared/[\\w-]+`, `(${rendererPackages.join('|')})(/.+)?`];
  return restrict(
    [
      toMain,
      toPreload,
      toElectronSubpath,
      ...nodeBuiltins('The renderer is DOM-only.'),
      { regex: `^(?!(${allowed.join('|')})$)`, message: `The renderer imports only ${rendererAllowed.join(', ')}.` },
      { group: ['**/shared/contract'], allowTypeImports: true, message: 'The renderer takes only types from contract.ts: its zod schemas stay in main.' },
    ],
    [noElectron],
  );
};
const rendererDepths = [0, 1, 2, 3, 4, 5];
const rendererTests = ['**/*.test.{ts,tsx}', 'src/renderer/src/test-setup.ts', 'src/renderer/src/test-utils/**'];

// The app's own code gets the type-checked rules; tests hold deliberate misuse, fakes and unchecked fixtures.
const typeCheckedFiles = ['src/**/*.{ts,tsx}'];
const typeCheckedIgnores = ['**/*.test.ts', '**/*.test.tsx'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    // CommonJS helpers of the scripts (loaded by Electron's launcher before any bundler).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
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
  ...coreLayerRules,
  {
    files: ['src/main/index.ts'],
    rules: restrict([toRenderer, toPreload]),
  },
  {
    files: ['src/main/shell/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ ...noElectron, allowTypeImports: true, message: 'The shell takes Electron as an injected parameter; only src/main/index.ts imports its values.' }],
          patterns: [toRenderer, toPreload],
        },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([
      toMain,
      toRenderer,
      { regex: preloadAllowedRegex, message: `The preload imports only ${preloadAllowed.join(', ')} (and contract.ts types).` },
      { group: ['../shared/contract'], allowTypeImports: true, message: 'The preload takes only types from contract.ts: its zod schemas stay in main.' },
    ]),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: restrict([toMain, toPreload, toElectronSubpath, ...nodeBuiltins('The renderer is DOM-only.')], [noElectron]),
  },
  // typescript-eslint's type-checked rules over the app's own code (tests left out: they hold
  // deliberate misuse, fakes and unchecked fixtures). They cost `eslint .` 20 -> 35 s here.
  ...tseslint.configs.recommendedTypeCheckedOnly.map((config) => ({ ...config, files: typeCheckedFiles, ignores: typeCheckedIgnores })),
  {
    files: typeCheckedFiles,
    ignores: typeCheckedIgnores,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // The composition root wires in order: nothing is used, not even in a closure, before it is made.
    files: ['src/main/core/core.ts'],
    rules: { '@typescript-eslint/no-use-before-define': ['error', { functions: false, classes: false, typedefs: false, ignoreTypeReferences: true }] },
  },
  ...rendererDepths.map((depth) => ({ files: [`src/renderer/src/${'*/'.repeat(depth)}*.{ts,tsx}`], ignores: rendererTests, rules: rendererRules(depth) })),
  {
    // Deeper than the blocks above reach: move the file up, or add a depth.
    files: [`src/renderer/src/${'*/'.repeat(rendererDepths.length)}**/*.{ts,tsx}`],
    rules: restrict([{ regex: '.', message: 'The renderer allow-list (eslint.config.mjs rendererDepths) does not reach this deep.' }]),
  },
  {
    // The two classic hook rules as errors: a hook called conditionally, or an effect that reads
    // a value it does not list, is a bug that shows only at run time (a stale chart, a lost listener).
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
