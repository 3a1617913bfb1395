// ESLint with typescript-eslint, as `yo code` sets up a VS Code extension; Prettier owns
// the layout (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'require', 'module', '__dirname', 'Buffer', 'URL', 'setTimeout', 'clearTimeout'].map(name => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/naming-convention': ['error', { selector: 'import', format: ['camelCase', 'PascalCase'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'smart'],
      'no-throw-literal': 'error',
      // The terminal, YAML and shell code match control characters (ANSI escapes, C0) on purpose.
      'no-control-regex': 'off',
      // Prettier wraps code at 140; this catches what it cannot wrap: long strings. Azure's
      // verbatim error texts live in message tables (messages.ts), where they may be long.
      'max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    // Tests quote whole responses, and read loosely typed JSON bodies from the lab.
    files: ['test/**'],
    rules: { 'max-len': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  { files: ['**/messages.ts'], rules: { 'max-len': 'off' } },
  {
    // az command specs are tables of azure-cli's own help texts and examples, quoted verbatim.
    files: ['src/az/commands/**'],
    rules: {
      'max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true }],
    },
  },
  {
    // Plain Node scripts and sample apps.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
