import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Integration suites share one MariaDB server; each uses its own database, but
    // running files in parallel on 2 cores only adds contention.
    fileParallelism: false,
    reporters: ['default'],
  },
});
