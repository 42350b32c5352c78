import { defineConfig } from 'vitest/config';

// Node for the core and shared code, jsdom for React components, and Node with --expose-gc
// for the memory-leak suite.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/main/**/*.test.ts', 'src/shared/**/*.test.ts', 'src/preload/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/memory-leaks.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The memory-leak suite measures the heap after full collections, so it needs global.gc.
        test: {
          name: 'leaks',
          environment: 'node',
          include: ['test/memory-leaks.test.ts'],
          execArgv: ['--expose-gc'],
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
      {
        oxc: { jsx: { runtime: 'automatic' } },
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['src/renderer/src/test-setup.ts'],
        },
      },
    ],
  },
});
