import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'cdk.out/', 'site/dist/', 'site/.astro/', '.data/', 'coverage/', '**/*.astro'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Focused tests hide failures.' },
        { object: 'it', property: 'skip', message: 'Skipped tests hide failures.' },
        { object: 'describe', property: 'only', message: 'Focused tests hide failures.' },
        { object: 'describe', property: 'skip', message: 'Skipped tests hide failures.' },
        { object: 'test', property: 'only', message: 'Focused tests hide failures.' },
        { object: 'test', property: 'skip', message: 'Skipped tests hide failures.' },
      ],
    },
  },
  {
    // shared/ is the domain: it must not reach into functions, infra or the site.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/functions/**', '**/infra/**', '**/site/**'],
              message: 'shared/ imports nothing from the other folders.',
            },
          ],
        },
      ],
    },
  },
  {
    // Pure domain code has no AWS imports.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*'],
              message: 'Domain logic has no AWS imports.',
            },
            {
              group: ['**/db/**', '**/functions/**', '**/infra/**', '**/site/**'],
              message: 'Domain logic stands alone.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['site/**/*.{ts,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
