import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'bench/**/*.test.ts', 'examples/**/*.test.ts'],
          // one PostgreSQL server for the run; test files inject it and create their own database
          globalSetup: ['server/testing/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [preact()],
        test: {
          name: 'dom',
          // without it, `?inline` CSS imports are empty strings in tests
          css: true,
          environment: 'happy-dom',
          include: ['widget/**/*.test.{ts,tsx}', 'admin/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/setup/global.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
