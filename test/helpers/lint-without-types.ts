import { resolve } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

/**
 * The project's ESLint config without its type-checked rules: the tests lint code as if it lived
 * at a path no tsconfig holds, which the type-aware parser refuses; the rules under test need no types.
 */
export function lintWithoutTypes(): ESLint {
  return new ESLint({
    cwd: resolve(__dirname, '..', '..'),
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } }, rules: (tseslint.configs.disableTypeChecked.rules ?? {}) as Linter.RulesRecord },
  });
}
