import { defineConfig } from 'vitest/config';

/**
 * Two projects, run side by side, two files at a time. `unit`: pure logic, no server, no dist/,
 * no database server (`make test-unit`). `server`: integration and end-to-end tests against the
 * real databases and real servers (each file has its own databases, store files and ports; two
 * at a time on 2 cores took the server tests from 7.3 to 5.9 minutes). Every timing a test asserts is a
 * ratio or a bound far from what it measures, so sharing the cores does not flake them.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    // Two test files at a time over both projects, one per core.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/{integration,e2e,fuzz,deploy}/**/*.test.ts'],
        },
      },
    ],
  },
});
