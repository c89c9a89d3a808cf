// Type-aware lint for every TypeScript source; generated output and runtime state are ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// What the web pages may use from the browser (listed here rather than from an undeclared package).
const BROWSER_GLOBALS = Object.fromEntries(
  [
    'Blob',
    'FormData',
    'Headers',
    'Intl',
    'URL',
    'URLSearchParams',
    'clearInterval',
    'clearTimeout',
    'createImageBitmap',
    'crypto',
    'document',
    'fetch',
    'sessionStorage',
    'setInterval',
    'setTimeout',
    'window',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.veriscan/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      // The gateways' web pages are plain browser modules: linted below, without type information.
      '!gateway-app/web/**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  {
    files: ['gateway-app/web/**/*.js'],
    rules: tseslint.configs.disableTypeChecked.rules,
    languageOptions: {
      sourceType: 'module',
      globals: BROWSER_GLOBALS,
      parserOptions: { projectService: false, project: false, program: null },
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai's property assertions (expect(x).to.be.true) read as unused expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
