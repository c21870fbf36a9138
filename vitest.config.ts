import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The March and October clock-change tests must not depend on the host's zone.
    env: { TZ: 'UTC' },
    // Only to end a test that hangs, never to judge speed (that is npm run bench's): generous, so a
    // busy machine (a CI run beside a bench took a 9 s test past 20 s) cannot fail a correct test.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
