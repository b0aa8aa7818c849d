import { defineConfig } from 'vitest/config';

/**
 * A file whose assertion reads memory closely (RSS given back after the workers are recycled): it
 * runs alone, after the rest. Beside another file on 2 cores it failed once (a recycle gave back
 * 35.0 MB where 35.5 were needed).
 */
const EXCLUSIVE = ['test/e2e/unload-memory.test.ts', 'test/e2e/materialize-memory.test.ts'];

/**
 * Three projects. `unit`: pure logic, no server, no dist/, no database server (`make test-unit`).
 * `server`: integration and end-to-end tests against the real databases and real servers (each
 * file has its own databases, store files and ports). Both run two files at a time (on 2 cores
 * this took the server tests from 7.3 to 5.9 minutes). `exclusive`: the files above, one at a
 * time once the others are done (each measures memory or time closely).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/{integration,e2e,fuzz,deploy}/**/*.test.ts'],
          exclude: EXCLUSIVE,
        },
      },
      {
        extends: true,
        test: {
          name: 'exclusive',
          include: EXCLUSIVE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
