import { defineConfig } from 'vitest/config';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// One `npm test`, five layers: unit (pure), integration (DynamoDB Local), infra (CDK template),
// faults (the local runtime with its store stopped, stalled or killed), e2e (the local runtime in
// Chromium).
export default defineConfig({
  test: {
    projects: [
      // Astro component tests (Container API) need Astro's Vite plugins: their own config.
      'site/vitest.config.ts',
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: ['tests/unit/site-*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          setupFiles: ['tests/integration/setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          // Templates are checked with the renderer's stand-in (infra/stacks/site-stack.ts).
          env: { SITE_RENDERER: 'stand-in' },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // Each file starts its own runtime and DynamoDB Local and stops, stalls or kills parts of
          // it: one file at a time, so the timings they check are not another file's load.
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // Both files build site/dist: one at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
