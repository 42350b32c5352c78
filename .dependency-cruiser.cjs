// Import cycles, checked by `npm run lint` (dependency-cruiser: one pass over the whole
// import graph, cheaper than eslint-plugin-import-x's no-cycle here, and it sees folders).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-file-cycle',
      comment: 'No module may reach itself through its imports (type-only imports count).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'The folders of the core form layers: no folder reaches itself through another (docs/ARCHITECTURE.md).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/main/core/[^/]+' },
      to: { path: '^src/main/core/[^/]+', circular: true },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.node.json' },
    tsPreCompilationDeps: true,
    // Tests are leaves (nothing imports them); leaving them out keeps test helpers out of the folder graph.
    exclude: { path: ['node_modules', '(\\.test\\.tsx?|-test-helpers\\.ts)$'] },
    doNotFollow: { path: 'node_modules' },
  },
};
